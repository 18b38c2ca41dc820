using System.Net;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;

namespace Aggregator.Api.Tests.Platform;

[Collection(ApiCollection.Name)]
public sealed class CatalogueAndHealthTests(ApiFactory api)
{
    [Fact]
    public async Task The_metric_catalogue_lists_every_metric_with_its_label_editions_and_unit()
    {
        var metrics = (await (await api.Anonymous().GetAsync("/api/v1/metrics")).JsonBody()).AsArray();

        Assert.Equal(MetricCatalogue.All.Count, metrics.Count);
        var penalty = metrics.Single(m => m!["code"]!.GetValue<string>() == "proactive.penalty.decisions")!;
        Assert.Equal(["2019", "2021"], penalty["editions"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.True(penalty["comparesAcrossEditions"]!.GetValue<bool>());
        Assert.False(penalty["hasApplicants"]!.GetValue<bool>());
        Assert.Equal("count", penalty["unit"]!.GetValue<string>());
        Assert.Contains("行政处罚", penalty["label"]!.GetValue<string>());

        var complaints = metrics.Single(m => m!["code"]!.GetValue<string>() == "applications.notProcessed.petitionComplaint")!;
        Assert.True(complaints["hasApplicants"]!.GetValue<bool>());
        Assert.Contains("信访举报投诉类", complaints["label"]!.GetValue<string>());

        var fees = metrics.Single(m => m!["code"]!.GetValue<string>() == "proactive.fees.amount")!;
        Assert.Equal("wanYuan", fees["unit"]!.GetValue<string>());
        Assert.False(fees["comparesAcrossEditions"]!.GetValue<bool>());
        Assert.Equal("2021", metrics.Single(m => m!["code"]!.GetValue<string>() == "applications.otherHandling")!["derivedIn"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_says_live_and_ready_with_the_database()
    {
        var client = api.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/health/ready"))).StatusCode);
    }

    /// <summary>Found by the HTTP fuzz run: the health endpoints answered 200 "Healthy" to POST, DELETE, M-SEARCH.</summary>
    [Theory]
    [InlineData("POST", "/health/live")]
    [InlineData("DELETE", "/health/ready")]
    [InlineData("M-SEARCH", "/health/live")]
    public async Task Health_answers_GET_and_HEAD_only(string method, string path)
    {
        var response = await api.Anonymous().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await response.Problem(HttpStatusCode.MethodNotAllowed);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order());
    }
}
