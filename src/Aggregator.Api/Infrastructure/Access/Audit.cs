using Aggregator.Api.Data;
using Aggregator.Api.Features.Imports.ImportReport;
using Aggregator.Api.Features.Reports;

namespace Aggregator.Api.Infrastructure.Access;

/// <summary>
/// Puts every write on record — succeeded or refused, with the key, role, client address, status and, for reports,
/// the revision — in its own unit of work, so a refused write leaves its audit record and nothing else.
/// </summary>
public static class Audit
{
    /// <summary>Records each call of the endpoint as <paramref name="action"/>. Add it before <c>RequireApiKey</c> so refusals are recorded too.</summary>
    /// <param name="when">Whether a call is a write worth recording (default: every call).</param>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action, Func<HttpRequest, bool>? when = null) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            if (when is not null && !when(context.HttpContext.Request))
            {
                return await next(context);
            }
            object? result = null;
            Exception? failure = null;
            try
            {
                result = await next(context);
                return result;
            }
            catch (Exception e)
            {
                failure = e;
                throw;
            }
            finally
            {
                await Record(context, action, result, failure);
            }
        });

    private static async Task Record(EndpointFilterInvocationContext context, string action, object? result, Exception? failure)
    {
        var http = context.HttpContext;
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }
        var status = failure is not null
            ? ProblemExceptionHandler.ToProblem(failure)?.Status ?? 500
            : (result as IStatusCodeHttpResult)?.StatusCode ?? 200;
        var revision = (result as IValueHttpResult)?.Value switch
        {
            RevisionResponse r => r,
            ImportResponse { Revision: { } r } => r,
            _ => null,
        };
        var caller = http.RequestServices.GetRequiredService<CurrentCaller>().Caller;
        var agency = http.Request.RouteValues["code"] as string
                     ?? context.Arguments.OfType<Features.Agencies.RegisterAgency.RegisterAgency>().FirstOrDefault()?.Code
                     ?? http.Request.Query["agency"].FirstOrDefault();
        var year = int.TryParse(http.Request.RouteValues["year"] as string, out var y) ? y : revision?.Year;
        var detail = failure is not null ? ProblemExceptionHandler.ToProblem(failure)?.Detail ?? failure.GetType().Name
            : (result as ProblemHttpResult)?.ProblemDetails.Detail;

        await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AggregatorDbContext>();
        db.AuditEvents.Add(new AuditEvent
        {
            At = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow(),
            KeyId = caller?.KeyId,
            Role = caller?.Role,
            ClientAddress = http.Connection.RemoteIpAddress?.ToString(),
            Action = action,
            Method = http.Request.Method,
            Path = Truncate(http.Request.Path + http.Request.QueryString, 512)!,
            AgencyCode = Truncate(agency, 64),
            Year = year,
            Revision = revision?.Revision,
            Status = status,
            Outcome = status < 400 ? "succeeded" : status < 500 ? "rejected" : "failed",
            Detail = Truncate(detail, 2000),
        });
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is Microsoft.EntityFrameworkCore.DbUpdateException or Npgsql.NpgsqlException)
        {
            scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Audit))
                .LogError(e, "Could not record {Action} {Method} {Path} ({Status}) in the audit", action, http.Request.Method, http.Request.Path, status);
        }
    }

    /// <summary>Cut to a length on a whole character, without control characters (PostgreSQL refuses NUL in text).</summary>
    private static string? Truncate(string? text, int length)
    {
        if (text is null)
        {
            return null;
        }
        var clean = new string(text.Where(c => !char.IsControl(c)).ToArray());
        if (clean.Length <= length)
        {
            return clean;
        }
        return char.IsHighSurrogate(clean[length - 1]) ? clean[..(length - 1)] : clean[..length];
    }
}
