using System.Net;
using Aggregator.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Aggregator.Api.Tests.Access;

/// <summary>Behaviour that depends on configuration: rate limits and keys for reads, each on its own server over the same database.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConfiguredAccessTests(ApiFactory api)
{
    [Fact]
    public async Task Over_the_limit_a_client_gets_429_with_Retry_After()
    {
        await using var limited = api.WithWebHostBuilder(b =>
        {
            b.UseSetting("Aggregator:RateLimits:AnonymousPerMinute", "3");
            b.UseSetting("Aggregator:RateLimits:PerKeyPerMinute", "2");
        });
        var anonymous = limited.CreateClient();
        var (_, key) = await api.Issue("admin");
        var keyed = limited.CreateClient();
        keyed.DefaultRequestHeaders.Add("X-Api-Key", key);

        var anonymousStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            anonymousStatuses.Add((await anonymous.GetAsync("/api/v1/metrics")).StatusCode);
        }
        var keyedStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            keyedStatuses.Add((await keyed.GetAsync("/api/v1/api-keys")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], anonymousStatuses);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], keyedStatuses);
        var refused = await anonymous.GetAsync("/api/v1/metrics");
        await refused.Problem(HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task With_RequireKeyForReads_reads_need_a_key()
    {
        await using var closed = api.WithWebHostBuilder(b => b.UseSetting("Aggregator:RequireKeyForReads", "true"));
        var anonymous = closed.CreateClient();
        var keyed = closed.CreateClient();
        keyed.DefaultRequestHeaders.Add("X-Api-Key", (await api.Issue("region", division: "65")).Key);

        await (await anonymous.GetAsync("/api/v1/metrics")).Problem(HttpStatusCode.Unauthorized);
        await (await anonymous.GetAsync("/api/v1/rollups?metric=proactive.penalty.decisions")).Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("/api/v1/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync("/api/v1/metrics")).StatusCode);
    }
}
