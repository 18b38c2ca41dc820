using System.Net;
using Aggregator.Api.Tests.Infrastructure;

namespace Aggregator.Api.Tests.Platform;

/// <summary>
/// The service behind a reverse proxy and called by dashboards in browsers, as processes on real ports: with a known
/// proxy, X-Forwarded-For is the client's address (each client its own rate-limit window); without one it is ignored,
/// so a client cannot choose its address. With an origin configured, preflights answer without a key and answers
/// expose ETag, Link and Retry-After to scripts of that origin only; with none, no CORS header at all.
/// </summary>
public sealed class BrowsersAndProxiesTests : IAsyncLifetime
{
    private const string Dashboard = "https://dashboard.example.gov.cn";

    private TestDatabase? database;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await database!.DisposeAsync();

    [Fact]
    public async Task Behind_a_known_proxy_each_forwarded_client_has_its_own_window_and_a_configured_origin_may_call_from_a_browser()
    {
        await using var api = await Start(new Dictionary<string, string>
        {
            ["Aggregator__Proxies__KnownProxies__0"] = "127.0.0.1",
            ["Aggregator__Cors__Origins__0"] = Dashboard,
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api.Port}") };

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Get(http, "/api/v1/sectors", forwardedFor: "203.0.113.7")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Get(http, "/api/v1/sectors", forwardedFor: "203.0.113.7")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(http, "/api/v1/sectors", forwardedFor: "203.0.113.8")).StatusCode);

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/rollups?metric=proactive.penalty.decisions");
        preflight.Headers.Add("Origin", Dashboard);
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-api-key,if-match,content-type");
        preflight.Headers.Add("X-Forwarded-For", "203.0.113.9");
        using var allowed = await http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(Dashboard, Header(allowed, "Access-Control-Allow-Origin"));
        Assert.Contains("PUT", Header(allowed, "Access-Control-Allow-Methods"));
        Assert.Contains("x-api-key", Header(allowed, "Access-Control-Allow-Headers")!.ToLowerInvariant());

        using var read = await Get(http, "/api/v1/metrics", forwardedFor: "203.0.113.9", origin: Dashboard);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(Dashboard, Header(read, "Access-Control-Allow-Origin"));
        var exposed = Header(read, "Access-Control-Expose-Headers")!.Split(',', StringSplitOptions.TrimEntries);
        Assert.Superset(new HashSet<string> { "ETag", "Link", "Retry-After" }, exposed.ToHashSet());

        using var other = await Get(http, "/api/v1/metrics", forwardedFor: "203.0.113.10", origin: "https://elsewhere.example");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Null(Header(other, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Without_a_known_proxy_X_Forwarded_For_is_ignored_and_without_origins_there_are_no_CORS_headers()
    {
        await using var api = await Start(new Dictionary<string, string>());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api.Port}") };
        for (var i = 0; i < 3; i++)
        {
            using var answer = await Get(http, "/api/v1/sectors", forwardedFor: $"198.51.100.{i}", origin: Dashboard);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Null(Header(answer, "Access-Control-Allow-Origin"));
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Get(http, "/api/v1/sectors", forwardedFor: "198.51.100.99")).StatusCode);
        Assert.True(await api.IsReady(), "readiness is never rate limited");
    }

    [Fact]
    public async Task A_proxy_setting_that_is_not_an_address_stops_the_start_with_one_line_naming_it()
    {
        await using var api = ApiProcess.Start(ApiProcess.FreePort(), "Production", new Dictionary<string, string>
        {
            ["ConnectionStrings__Aggregator"] = database!.ConnectionString,
            ["Aggregator__Proxies__KnownNetworks__0"] = "10.0.0.0/33",
        });
        Assert.Equal(1, await api.WaitForExit(TimeSpan.FromSeconds(60)));
        Assert.Contains("Aggregator:Proxies:KnownNetworks: '10.0.0.0/33'", string.Join("\n", api.ErrorLines));
    }

    private async Task<ApiProcess> Start(Dictionary<string, string> settings)
    {
        settings["ConnectionStrings__Aggregator"] = database!.ConnectionString;
        settings["Aggregator__RateLimits__AnonymousPerMinute"] = "3";
        var api = ApiProcess.Start(ApiProcess.FreePort(), "Production", settings);
        await api.WaitUntilReady(TimeSpan.FromSeconds(60));
        return api;
    }

    private static async Task<HttpResponseMessage> Get(HttpClient http, string path, string forwardedFor, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return await http.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values) : null;
}
