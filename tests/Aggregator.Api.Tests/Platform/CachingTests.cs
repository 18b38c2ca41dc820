using System.Net;
using System.Net.Http.Headers;
using Aggregator.Api.Infrastructure.Caching;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;
using Aggregator.Tests;

namespace Aggregator.Api.Tests.Platform;

/// <summary>ETag, If-None-Match → 304, and Cache-Control on the GETs under /api/v1.</summary>
[Collection(ApiCollection.Name)]
public sealed class CachingTests(ApiFactory api)
{
    private static readonly int ThisYear = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Year;

    private async Task<HttpResponseMessage> Get(string url, EntityTagHeaderValue? ifNoneMatch = null, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }
        return await (client ?? api.Anonymous()).SendAsync(request);
    }

    private static ReportDocument Penalties(int decisions)
    {
        var document = new ReportDocument(Edition.Edition2021);
        document.Set("proactive.penalty.decisions", null, decisions);
        return document;
    }

    [Fact]
    public async Task An_unchanged_rollup_answers_304_and_a_submission_that_touches_it_a_new_tag()
    {
        var admin = api.Admin();
        var inside = Http.Unique("etag");
        var outside = Http.Unique("etag");
        await admin.RegisterAgency(inside, "654226", "transport");
        await admin.RegisterAgency(outside, "110105", "transport");
        await admin.PutReport(inside, 2021, Penalties(3));
        const string url = "/api/v1/rollups?metric=proactive.penalty.decisions&groupBy=agency&division=654226";

        var first = await Get(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var tag = first.Headers.ETag!;
        Assert.False(tag.IsWeak);
        Assert.Equal("public, max-age=60", first.Headers.CacheControl!.ToString());

        var again = await Get(url, tag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(tag, again.Headers.ETag);
        Assert.Equal("public, max-age=60", again.Headers.CacheControl!.ToString());

        await admin.PutReport(outside, 2021, Penalties(5)); // not in the rollup: its tag stays
        Assert.Equal(HttpStatusCode.NotModified, (await Get(url, tag)).StatusCode);

        await admin.PutReport(inside, 2022, Penalties(4));
        var changed = await Get(url, tag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(tag, changed.Headers.ETag);
        var row = (await changed.Json())["rows"]!.AsArray().Single(r => r!["agency"]!.GetValue<string>() == inside);
        Assert.Equal(7m, row!["values"]!["proactive.penalty.decisions"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Csv_answers_have_their_own_tag_and_revalidate_too()
    {
        const string url = "/api/v1/rollups?metric=proactive.penalty.decisions&groupBy=year";
        var json = await Get(url);
        var csv = await Get(url + "&format=csv");

        Assert.NotEqual(json.Headers.ETag, csv.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await Get(url + "&format=csv", csv.Headers.ETag)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(url + "&format=csv", json.Headers.ETag)).StatusCode);
    }

    [Fact]
    public async Task A_report_keeps_its_content_hash_as_tag_and_gets_cache_control()
    {
        var admin = api.Admin();
        var agency = Http.Unique("etagr");
        await admin.RegisterAgency(agency, "350128", "government");
        var stored = await (await admin.PutReport(agency, 2021, ReportFixtures.DocumentJson("pingtan-2021"))).Json();
        var hash = stored["contentHash"]!.GetValue<string>();
        var url = $"/api/v1/agencies/{agency}/reports/2021";

        var first = await Get(url);
        Assert.Equal($"\"{hash}\"", first.Headers.ETag!.Tag);
        Assert.Equal("public, max-age=86400", first.Headers.CacheControl!.ToString()); // 2021 is long settled

        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", $"\"other\", W/\"{hash}\"");
        var again = await api.Anonymous().SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal("public, max-age=86400", again.Headers.CacheControl!.ToString());
    }

    [Theory]
    [InlineData("/api/v1/reports?year={settled}", 86400)]
    [InlineData("/api/v1/reports?year={current}", 60)]
    [InlineData("/api/v1/reports", 60)]
    [InlineData("/api/v1/rollups?metric=proactive.penalty.decisions&yearFrom=2019&yearTo={settled}", 86400)]
    [InlineData("/api/v1/rollups?metric=proactive.penalty.decisions&yearFrom=2019", 60)]
    [InlineData("/api/v1/cells?year={settled}&metric=proactive.penalty.decisions", 86400)]
    [InlineData("/api/v1/agencies", 60)]
    [InlineData("/api/v1/metrics", 60)]
    public async Task Cache_control_is_long_only_when_every_year_named_is_settled(string url, int maxAge)
    {
        var response = await Get(url.Replace("{settled}", (ThisYear - 2).ToString()).Replace("{current}", ThisYear.ToString()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"public, max-age={maxAge}", response.Headers.CacheControl!.ToString());
        Assert.NotNull(response.Headers.ETag);
    }

    /// <summary>Found by the HTTP fuzz run: the cache policy computed a deadline for any year named and answered 500 for year=-1.</summary>
    [Theory]
    [InlineData("/api/v1/metrics?year=-1", HttpStatusCode.OK)]
    [InlineData("/api/v1/sectors?yearTo=10000", HttpStatusCode.OK)]
    [InlineData("/api/v1/reports?year=-1", HttpStatusCode.BadRequest)]
    public async Task A_year_outside_the_calendar_is_no_fault(string url, HttpStatusCode status)
    {
        var response = await Get(url);

        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public async Task Answers_to_a_request_with_a_key_are_private()
    {
        var response = await Get("/api/v1/api-keys", client: api.Admin());

        Assert.True(response.Headers.CacheControl!.Private);
        Assert.False(response.Headers.CacheControl.Public);
        Assert.Equal(TimeSpan.FromSeconds(60), response.Headers.CacheControl.MaxAge);
    }

    [Fact]
    public async Task Errors_carry_no_tag()
    {
        var response = await Get("/api/v1/rollups?metric=nope");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl is null || response.Headers.CacheControl.NoStore, "An error may not be cached.");
    }
}
