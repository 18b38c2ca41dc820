using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Aggregator.Api.Infrastructure;

/// <summary>A request that names something that does not exist (→ 404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>A request that conflicts with what is stored (→ 409).</summary>
public sealed class ConflictException(string message) : Exception(message);

/// <summary>A conditional request whose precondition does not hold (→ 412).</summary>
public sealed class PreconditionFailedException(string message) : Exception(message);

/// <summary>Invalid input, by field or JSON path (→ 400 validation problem).</summary>
public sealed class InputException(IDictionary<string, string[]> errors, string title = "The request is invalid.") : Exception(title)
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public InputException(string field, string message) : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }
}

/// <summary>The one place where exceptions become problem responses; never a 500 for something the client did.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ToProblem(exception);
        if (problem is null)
        {
            return false;
        }
        logger.LogInformation("Request refused with {Status}: {Message}", problem.Status, exception.Message);
        context.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == 401)
        {
            context.Response.Headers.WWWAuthenticate = Access.ApiKeyAuthentication.SchemeName;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The problem an exception answers with, or null for a fault of ours (500).</summary>
    public static ProblemDetails? ToProblem(Exception exception) =>
        exception switch
        {
            InputException e => new HttpValidationProblemDetails(e.Errors) { Status = 400, Title = e.Message },
            FluentValidation.ValidationException e => new HttpValidationProblemDetails(
                e.Errors.GroupBy(f => CamelCase(f.PropertyName)).ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).ToArray()))
            {
                Status = 400, Title = "The request is invalid.",
            },
            Access.UnauthorizedException e => new ProblemDetails { Status = 401, Title = "Unauthorized.", Detail = e.Message },
            Access.ForbiddenException e => new ProblemDetails { Status = 403, Title = "Forbidden.", Detail = e.Message },
            NotFoundException e => new ProblemDetails { Status = 404, Title = "Not found.", Detail = e.Message },
            ConflictException e => new ProblemDetails { Status = 409, Title = "Conflict.", Detail = e.Message },
            PreconditionFailedException e => new ProblemDetails { Status = 412, Title = "Precondition failed.", Detail = e.Message },
            BadHttpRequestException e => new ProblemDetails
            {
                Status = e.StatusCode,
                Title = e.StatusCode == 413 ? "The request body is too large." : "The request could not be read.",
                Detail = e.InnerException is System.Text.Json.JsonException json ? $"{e.Message} {json.Message}" : e.Message,
            },
            _ => null,
        };

    private static string CamelCase(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}

public static class Problem
{
    /// <summary>A problem result with the given status, for the typed result unions of endpoints.</summary>
    public static ProblemHttpResult Of(int status, string title, string? detail = null) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);

    /// <summary>A validation problem (400) for one field.</summary>
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
