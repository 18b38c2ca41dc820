using System.Net;
using System.Text.RegularExpressions;
using Aggregator.Api.Tests.Infrastructure;

namespace Aggregator.Api.Tests.Platform;

/// <summary>
/// The dashboard's files as the API serves them (the build of the API makes them; its browser test is
/// tests/Aggregator.Dashboard.Tests): client routes answer index.html, revalidated on every load; the hashed assets
/// it names are cached for a year; a missing asset is a 404, not index.html; with RequireKeyForReads the page itself
/// is still public (it asks for the key) while the API behind it is not.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class DashboardServingTests(ApiFactory api)
{
    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/region/654200")]
    [InlineData("/dashboard/report/wusu-transport/2020?revision=1")]
    public async Task Client_routes_answer_the_index_page_revalidated_on_every_load(string path)
    {
        var response = await api.Anonymous().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Contains("数据看板", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_assets_the_index_names_are_cached_for_a_year_and_a_missing_one_is_not_found()
    {
        var client = api.Anonymous();
        var index = await client.GetStringAsync("/dashboard/");
        var assets = Asset().Matches(index).Select(m => m.Value).Distinct().ToArray();
        Assert.Contains(assets, a => a.EndsWith(".js"));
        Assert.Contains(assets, a => a.EndsWith(".css"));
        foreach (var asset in assets)
        {
            var response = await client.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/dashboard/assets/index-missing.js")).StatusCode);
    }

    [Fact]
    public async Task With_keys_required_for_reads_the_page_is_public_and_the_API_behind_it_is_not()
    {
        await using var host = api.WithWebHostBuilder(b => b.UseSetting("Aggregator:RequireKeyForReads", "true"));
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dashboard/region/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/sectors")).StatusCode);
    }

    [GeneratedRegex(@"/dashboard/assets/[^""']+")]
    private static partial Regex Asset();
}
