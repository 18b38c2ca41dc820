using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Aggregator.Api.Infrastructure.Problems;

/// <summary>
/// ASP.NET Core's problem writer writes only for a request whose <c>Accept</c> takes JSON; for any other
/// (<c>Accept: application/xml</c>, <c>text/csv</c>, <c>text/html</c>) no writer was left, so every refusal of such a
/// request — a 401, a 404, a 400 from a handler — became a 500 with an empty body, and a 404 from routing plain text.
/// This writer, registered after the framework's, writes the problem anyway as <c>application/problem+json</c>: the
/// only format the API has for errors (RFC 9110 §12.5.1 lets a server disregard Accept, and a 406 would need a body of
/// its own). It fills the status and title as the framework's writer does and applies the same customisation
/// (instance, traceId).
/// </summary>
public sealed class ProblemJsonFallbackWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value) is { Length: > 0 } reason ? reason : null;
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), jsonOptions.Value.SerializerOptions, "application/problem+json",
            http.RequestAborted));
    }
}
