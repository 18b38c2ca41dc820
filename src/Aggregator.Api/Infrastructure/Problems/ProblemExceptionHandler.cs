using Aggregator.Api.Infrastructure.Access;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Aggregator.Api.Infrastructure.Problems;

/// <summary>The one place where exceptions become problem responses; never a 500 for something the client did.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, Npgsql.NpgsqlDataSource dataSource, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ToProblem(exception);
        if (problem is null)
        {
            return false;
        }
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // The pooled connections are dead after a database restart: drop them now, so the first requests once it is
            // back open new ones instead of failing on the old.
            logger.LogWarning("Database unavailable, answering 503: {Message}", DatabaseOutage.Find(exception)?.Message);
            Npgsql.NpgsqlConnection.ClearAllPools();
            dataSource.Clear();
            context.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            logger.LogInformation("Request refused with {Status}: {Message}", problem.Status, exception.Message);
        }
        context.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = ApiKeyAuthenticationHandler.SchemeName;
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The problem an exception answers with, or null for a fault of ours (500).</summary>
    public static ProblemDetails? ToProblem(Exception exception)
    {
        ProblemDetails? problem = exception switch
        {
            InputException e => new HttpValidationProblemDetails(e.Errors) { Status = 400, Title = e.Message },
            FluentValidation.ValidationException e => new HttpValidationProblemDetails(
                e.Errors.GroupBy(f => CamelCase(f.PropertyName)).ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray()))
            {
                Status = 400, Title = "The request is invalid.",
            },
            UnauthorizedException e => new ProblemDetails { Status = 401, Title = "Unauthorized.", Detail = e.Message },
            ForbiddenException e => new ProblemDetails { Status = 403, Title = "Forbidden.", Detail = e.Message },
            NotFoundException e => new ProblemDetails { Status = 404, Title = "Not found.", Detail = e.Message },
            ConflictException e => new ProblemDetails { Status = 409, Title = "Conflict.", Detail = e.Message },
            PreconditionFailedException e => new ProblemDetails { Status = 412, Title = "Precondition failed.", Detail = e.Message },
            PayloadTooLargeException e => new ProblemDetails { Status = 413, Title = "The request body is too large.", Detail = e.Message },
            UnsupportedMediaTypeException e => new ProblemDetails { Status = 415, Title = "Unsupported media type.", Detail = e.Message },
            UnprocessableException e => new ProblemDetails { Status = 422, Title = e.Title, Detail = e.Message },
            BadHttpRequestException e when BindingFailure(e) is { } binding => new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [binding.Name] = [binding.Message] })
            {
                Status = 400, Title = "The request is invalid.", Detail = binding.Message,
            },
            BadHttpRequestException e => new ProblemDetails
            {
                Status = e.StatusCode,
                Title = e.StatusCode == 413 ? "The request body is too large." : "The request could not be read.",
                Detail = e.InnerException is System.Text.Json.JsonException json ? $"{e.Message} {json.Message}" : e.Message,
            },
            _ when DatabaseOutage.Find(exception) is not null => new ProblemDetails
            {
                Status = 503, Title = "The service is unavailable.",
                Detail = $"The database cannot be reached right now. Try again in {DatabaseOutage.RetryAfterSeconds} s.",
            },
            _ => null,
        };
        var extensions = exception switch
        {
            UnprocessableException e => e.Extensions,
            PayloadTooLargeException e => e.Extensions,
            _ => null,
        };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem!.Extensions[key] = value;
            }
        }
        return problem;
    }

    /// <summary>A query or route value that does not convert to its parameter's type, named as the client sent it.</summary>
    private static (string Name, string Message)? BindingFailure(BadHttpRequestException exception)
    {
        var match = BindingFailed.Match(exception.Message);
        if (!match.Success)
        {
            return null;
        }
        var name = CamelCase(match.Groups["name"].Value);
        var type = match.Groups["type"].Value.Replace("Nullable<", "").TrimEnd('>') switch
        {
            "int" or "long" or "short" => "whole number",
            "bool" => "boolean (true or false)",
            "DateTimeOffset" => "date and time (ISO 8601, e.g. 2026-01-01T00:00:00Z)",
            "Guid" => "key id",
            var other => other,
        };
        var value = match.Groups["value"].Value;
        return (name, $"Parameter {name}: '{(value.Length > 64 ? value[..64] + "…" : value)}' is not a valid {type}.");
    }

    private static readonly System.Text.RegularExpressions.Regex BindingFailed = new(
        "^Failed to bind parameter \"(?<type>[^\"]+) (?<name>\\w+)\" from \"(?<value>.*)\"\\.$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.NonBacktracking);

    private static string CamelCase(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
