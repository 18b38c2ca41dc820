using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Api.Infrastructure.Problems;

namespace Aggregator.Api.Infrastructure.Audit;

/// <summary>Marks an endpoint whose calls are put on record as <paramref name="Action"/> (when <paramref name="When"/> holds).</summary>
/// <param name="Body">The JSON body's type, when it says what the write is about (read back for a write refused before binding).</param>
public sealed record AuditedMetadata(string Action, Func<HttpRequest, bool>? When, Type? Body = null);

/// <summary>
/// Puts every call of an audited endpoint on record — succeeded or refused, with the key, role, client address,
/// status and what it was about — in its own unit of work, so a refused write leaves its audit record and nothing
/// else. It runs after authentication and before authorization, so refusals by the policies are recorded too.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<AuditedMetadata>() is not { } audited || audited.When?.Invoke(http.Request) == false)
        {
            await next(http);
            return;
        }
        var entry = new AuditEntry(audited.Action);
        http.Features.Set(entry);
        Exception? failure = null;
        try
        {
            await next(http);
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            if (audited.Body is { } bodyType && entry.Agency is null && failure is null)
            {
                await ReadBackBody(http, entry, bodyType);
            }
            await Record(http, entry, failure);
        }
    }

    /// <summary>
    /// A write refused by its policy (401/403) never bound its body; what it was about is read from the body here,
    /// at most 64 KiB of it, so the record still names the agency the caller tried to write.
    /// </summary>
    private static async Task ReadBackBody(HttpContext http, AuditEntry entry, Type bodyType)
    {
        try
        {
            var body = await Aggregator.Api.Infrastructure.RequestBody.ReadAsync(http.Request, 64 * 1024, http.RequestAborted);
            if (body is { Length: > 0 } && System.Text.Json.JsonSerializer.Deserialize(body, bodyType, System.Text.Json.JsonSerializerOptions.Web) is IAuditSubject subject)
            {
                entry.About(subject);
            }
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or IOException or NotSupportedException)
        {
            // Not a readable body: the record goes without the agency.
        }
    }

    private static async Task Record(HttpContext http, AuditEntry entry, Exception? failure)
    {
        if (failure is null && entry.InCommit)
        {
            return; // the write put its record in its own commit
        }
        var problem = failure is null ? null : ProblemExceptionHandler.ToProblem(failure);
        var status = failure switch
        {
            null => http.Response.StatusCode,
            OperationCanceledException when http.RequestAborted.IsCancellationRequested => 499,
            _ => problem?.Status ?? 500,
        };
        var detail = failure switch
        {
            null => entry.Refusal,
            OperationCanceledException when status == 499 => "The client went away before the answer.",
            _ => problem?.Detail ?? problem?.Title ?? failure.GetType().Name,
        };

        await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AggregatorDbContext>();
        db.AuditEvents.Add(Build(http, entry, status, detail, scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is Microsoft.EntityFrameworkCore.DbUpdateException or Npgsql.NpgsqlException)
        {
            scope.ServiceProvider.GetRequiredService<ILogger<AuditMiddleware>>()
                .LogError(e, "Could not record {Action} {Method} {Path} ({Status}) in the audit", entry.Action, http.Request.Method, http.Request.Path, status);
        }
    }

    /// <summary>The audit record of a request: who (from the authenticated key), from where, what, and how it ended.</summary>
    public static AuditEvent Build(HttpContext http, AuditEntry entry, int status, string? detail, DateTimeOffset at)
    {
        var caller = Caller.From(http.User);
        return new AuditEvent
        {
            At = at,
            KeyId = caller?.KeyId,
            Role = caller?.Role,
            ClientAddress = http.Connection.RemoteIpAddress?.ToString(),
            Action = entry.Action,
            Method = http.Request.Method,
            Path = Truncate(http.Request.Path + http.Request.QueryString, 512)!,
            AgencyCode = Truncate(http.Request.RouteValues["code"] as string ?? entry.Agency ?? (http.Request.Query["agency"] is { Count: 1 } agency ? agency[0] : null), 64),
            Year = int.TryParse(http.Request.RouteValues["year"] as string, out var year) ? year : entry.Year,
            Revision = entry.Revision,
            Status = status,
            Outcome = status < 400 ? "succeeded" : status < 500 ? "rejected" : "failed",
            Detail = Truncate(detail, 2000),
        };
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

public static class AuditConventions
{
    /// <summary>
    /// Records each call of the endpoint as <paramref name="action"/>; what it was about comes from the arguments and
    /// the result that are <see cref="IAuditSubject"/>s.
    /// </summary>
    /// <param name="when">Whether a call is a write worth recording (default: every call).</param>
    /// <param name="body">The type of a JSON body that says what the write is about (an <see cref="IAuditSubject"/>).</param>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action, Func<HttpRequest, bool>? when = null, Type? body = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .WithMetadata(new AuditedMetadata(action, when, body))
            .AddEndpointFilter(async (context, next) =>
            {
                var entry = AuditEntry.Of(context.HttpContext);
                foreach (var subject in context.Arguments.OfType<IAuditSubject>())
                {
                    entry?.About(subject);
                }
                var result = await next(context);
                var value = result is INestedHttpResult nested ? nested.Result : result;
                if ((value as IValueHttpResult)?.Value is IAuditSubject answered)
                {
                    entry?.About(answered);
                }
                return result;
            });

    public static IApplicationBuilder UseAudit(this IApplicationBuilder app) => app.UseMiddleware<AuditMiddleware>();
}
