using System.Globalization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aggregator.Api.Infrastructure.Problems;

/// <summary>
/// What /health/ready answers: "Healthy" as text while the database answers; otherwise 503 problem+json with
/// Retry-After, as every request answers while the database is away, naming the checks that failed (never their
/// exception's text: connection strings and hosts stay in the log).
/// </summary>
public static class Readiness
{
    public static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResponseWriter = WriteAsync,
    };

    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        if (report.Status != HealthStatus.Unhealthy)
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(report.Status.ToString());
            return;
        }
        var failed = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy).Select(e => e.Key).Order(StringComparer.Ordinal).ToArray();
        context.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The service is unavailable.",
            Detail = $"Not ready: the database cannot be reached right now (failed: {string.Join(", ", failed)}). Try again in {DatabaseOutage.RetryAfterSeconds} s.",
            Extensions = { ["checks"] = failed },
        };
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
