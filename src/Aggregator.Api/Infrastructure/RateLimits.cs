using System.Threading.RateLimiting;
using Aggregator.Api.Infrastructure.Access;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// Fixed one-minute windows per API key (by its id, so a key is limited whoever uses it) and per client address for
/// requests without a key. Over the limit: 429 with Retry-After.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddAggregatorRateLimits(this IServiceCollection services, RateLimitOptions limits) =>
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                // A key gets its own window only when it can be one (an issued key's form, or the bootstrap key);
                // anything else counts against the client address, so made-up keys do not buy more requests.
                var presented = http.Request.Headers[ApiKeyAuthenticationHandler.Header].ToString();
                var bootstrap = http.RequestServices.GetRequiredService<IOptions<AggregatorOptions>>().Value.AdminApiKey;
                var (partition, permits) =
                    ApiKeySecrets.TryParse(presented, out var id, out _) ? ("key:" + id, limits.PerKeyPerMinute)
                    : presented.Length > 0 && !string.IsNullOrEmpty(bootstrap) && ApiKeySecrets.SameSecret(presented, bootstrap) ? ("key:config", limits.PerKeyPerMinute)
                    : ("address:" + http.Connection.RemoteIpAddress, limits.AnonymousPerMinute);
                return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = Math.Max(1, permits),
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = 429, Title = "Too many requests.", Detail = $"Rate limit reached; try again in {(int)Math.Ceiling(retryAfter.TotalSeconds)} s." },
                });
            };
        });
}
