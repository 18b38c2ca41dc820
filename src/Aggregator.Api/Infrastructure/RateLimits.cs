using System.Globalization;
using System.Threading.RateLimiting;
using Aggregator.Api.Infrastructure.Access;
using Microsoft.AspNetCore.RateLimiting;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// ASP.NET Core's rate limiter, run after authentication so that only a verified key buys a window of its own: fixed
/// one-minute windows per API key (by its id, so a key is limited whoever uses it), and per client address for every
/// request without a verified key — none, a made-up one, a malformed, revoked or expired one. Imports (marked with
/// <see cref="LimitedAsImport"/>) are chained behind a lower window of their own per caller and a concurrency limit
/// shared by all callers. Over a limit: 429 problem+json with Retry-After.
/// </summary>
public static class RateLimits
{
    /// <summary>Marks the endpoint whose calls also count against the import window and the import concurrency.</summary>
    public sealed class ImportMetadata;

    private static readonly ImportMetadata Import = new();

    /// <summary>How long a caller refused by the concurrency limit (which has no window) is told to wait.</summary>
    private static readonly TimeSpan ConcurrencyRetryAfter = TimeSpan.FromSeconds(1);

    public static TBuilder LimitedAsImport<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Import);

    public static IServiceCollection AddAggregatorRateLimits(this IServiceCollection services, RateLimitOptions limits) =>
        services.AddRateLimiter(options =>
        {
            var everyRequest = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var (caller, verified) = CallerPartition(http);
                return Window(caller, verified ? limits.PerKeyPerMinute : limits.AnonymousPerMinute);
            });
            var importWindow = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                IsImport(http) ? Window("import:" + CallerPartition(http).Partition, limits.ImportsPerMinute) : RateLimitPartition.GetNoLimiter("other"));
            var importConcurrency = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                IsImport(http)
                    ? RateLimitPartition.GetConcurrencyLimiter("imports", _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = Math.Max(1, limits.ImportConcurrency),
                        QueueLimit = Math.Max(0, limits.ImportQueue),
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    })
                    : RateLimitPartition.GetNoLimiter("other"));
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(everyRequest, importWindow, importConcurrency);
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : ConcurrencyRetryAfter;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = 429, Title = "Too many requests.",
                        Detail = IsImport(http) && !context.Lease.TryGetMetadata(MetadataName.RetryAfter, out _)
                            ? $"Too many imports are running; try again in {seconds} s."
                            : $"Rate limit reached; try again in {seconds} s.",
                    },
                });
            };
        });

    /// <summary>The caller's partition: the verified key's id, or else the client address.</summary>
    private static (string Partition, bool Verified) CallerPartition(HttpContext http) =>
        Caller.From(http.User) is { } caller ? ("key:" + caller.KeyId, true) : ("address:" + http.Connection.RemoteIpAddress, false);

    private static bool IsImport(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<ImportMetadata>() is not null;

    private static RateLimitPartition<string> Window(string partition, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
}
