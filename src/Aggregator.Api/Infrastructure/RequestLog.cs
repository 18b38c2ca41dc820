using System.Diagnostics;
using Aggregator.Api.Infrastructure.Access;
using Microsoft.AspNetCore.HttpLogging;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// One log line per request (ASP.NET Core's HTTP logging, all of a request in one entry): method, path and query,
/// route, status, duration, the verified key's id (never the key: headers are not logged) and the trace id, under
/// category <c>Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware</c> at Information. Health probes and
/// metrics scrapes are left out.
/// </summary>
public static class RequestLog
{
    public static IServiceCollection AddRequestLog(this IServiceCollection services) => services
        .AddHttpLogging(options =>
        {
            options.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.RequestQuery
                                    | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            options.CombineLogs = true;
        })
        .AddHttpLoggingInterceptor<Interceptor>();

    /// <summary>
    /// Right after routing: keeps the route for the log line, which is written once the answer is done — by then an
    /// exception handler may have cleared the endpoint to write its problem.
    /// </summary>
    public static void UseRequestLogRoute(this WebApplication app) => app.Use((http, next) =>
    {
        if (http.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
        {
            http.Items[RouteKey] = route;
        }
        return next(http);
    });

    private static readonly object RouteKey = new();

    private sealed class Interceptor : IHttpLoggingInterceptor
    {
    public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logContext)
    {
        var path = logContext.HttpContext.Request.Path;
        if (path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics"))
        {
            logContext.LoggingFields = HttpLoggingFields.None;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logContext)
    {
        var http = logContext.HttpContext;
        if (http.Items.TryGetValue(RouteKey, out var route))
        {
            logContext.AddParameter("Route", route);
        }
        logContext.AddParameter("KeyId", Caller.From(http.User)?.KeyId ?? "-");
        logContext.AddParameter("TraceId", Activity.Current?.TraceId.ToHexString() ?? http.TraceIdentifier);
        return ValueTask.CompletedTask;
    }
    }
}
