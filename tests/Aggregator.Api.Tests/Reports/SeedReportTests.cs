using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;
using Aggregator.Tests;

namespace Aggregator.Api.Tests.Reports;

/// <summary>The foundation's acceptance path, on the report this project started from (乌苏市交通运输局, 2020).</summary>
[Collection(ApiCollection.Name)]
public sealed class SeedReportTests(ApiFactory api)
{
    [Fact]
    public async Task The_seed_report_submits_reads_back_resubmits_and_is_corrected_with_history()
    {
        var admin = api.Admin();
        var agency = Http.Unique("wusu");
        await admin.RegisterAgency(agency, "654202", "transport", "乌苏市交通运输局");
        var seedJson = ReportFixtures.DocumentJson("wusu-transport-2020");

        // First submission: 201, Location, revision 1, the R1 finding stored beside the numbers.
        var created = await admin.PutReport(agency, 2020, seedJson);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/agencies/{agency}/reports/2020", created.Headers.Location?.OriginalString);
        var first = await created.Json();
        Assert.Equal(1, first["revision"]!.GetValue<int>());
        Assert.Equal("2019", first["edition"]!.GetValue<string>());
        Assert.Equal(agency, first["agency"]!.GetValue<string>());
        Assert.Equal(2020, first["year"]!.GetValue<int>());
        var finding = Assert.Single(first["findings"]!.AsArray());
        Assert.Equal("R1", finding!["rule"]!.GetValue<string>());
        Assert.Equal("warning", finding["severity"]!.GetValue<string>());
        Assert.Equal("applications.totalHandled.total", finding["path"]!.GetValue<string>());

        // Read back cell for cell: every leaf, blanks as blanks.
        var read = await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2020");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var readBack = await read.Json();
        var expectedLeaves = ReportFixtures.Leaves(JsonNode.Parse(seedJson)!);
        Assert.Equal(expectedLeaves, ReportFixtures.Leaves(readBack["document"]!));
        Assert.Null(readBack["document"]!["applications"]!["newlyReceived"]!["naturalPerson"]);
        Assert.Equal(15, readBack["document"]!["proactive"]!["penalty"]!["itemsLastYear"]!.GetValue<int>());
        Assert.Equal($"\"{first["contentHash"]!.GetValue<string>()}\"", read.Headers.ETag?.Tag);

        // The identical document again: 200, same revision, nothing new.
        var retry = await admin.PutReport(agency, 2020, seedJson);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(1, (await retry.Json())["revision"]!.GetValue<int>());

        // A correction: revision 2; the R1 finding is gone because the numbers now balance.
        var corrected = ReportFixtures.Document("wusu-transport-2020");
        corrected.Set("applications.newlyReceived", Applicant.Total, 10);
        var correction = await admin.PutReport(agency, 2020, corrected);
        Assert.Equal(HttpStatusCode.OK, correction.StatusCode);
        var second = await correction.Json();
        Assert.Equal(2, second["revision"]!.GetValue<int>());
        Assert.Empty(second["findings"]!.AsArray());

        // Latest is revision 2; revision 1 is still readable as it was.
        var latest = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2020")).Json();
        Assert.Equal(2, latest["revision"]!.GetValue<int>());
        Assert.Equal(10, latest["document"]!["applications"]!["newlyReceived"]!["total"]!.GetValue<int>());
        var old = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2020?revision=1")).Json();
        Assert.Equal(1, old["revision"]!.GetValue<int>());
        Assert.Equal(0, old["document"]!["applications"]!["newlyReceived"]!["total"]!.GetValue<int>());
        Assert.Equal("R1", old["findings"]![0]!["rule"]!.GetValue<string>());

        var revisions = (await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2020/revisions")).JsonBody()).AsArray();
        Assert.Equal([1, 2], revisions.Select(r => r!["revision"]!.GetValue<int>()));
        Assert.Equal([false, true], revisions.Select(r => r!["current"]!.GetValue<bool>()));
        Assert.Equal([1, 0], revisions.Select(r => r!["findingCount"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_conditional_read_and_a_conditional_correction_use_the_content_hash()
    {
        var admin = api.Admin();
        var agency = Http.Unique("etag");
        await admin.RegisterAgency(agency, "654202", "transport");
        var created = await admin.PutReport(agency, 2020, ReportFixtures.DocumentJson("wusu-transport-2020"));
        var etag = created.Headers.ETag!;

        var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/agencies/{agency}/reports/2020");
        conditional.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await api.Anonymous().SendAsync(conditional)).StatusCode);

        var corrected = ReportFixtures.Document("wusu-transport-2020");
        corrected.Set("proactive.penalty.decisions", null, 4);
        var body = System.Text.Encoding.UTF8.GetString(ReportDocumentJson.Serialize(corrected));
        var first = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/agencies/{agency}/reports/2020") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        first.Headers.IfMatch.Add(etag);
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(first)).StatusCode);

        // A second writer still holding the old ETag loses cleanly instead of overwriting.
        corrected.Set("proactive.penalty.decisions", null, 5);
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/agencies/{agency}/reports/2020")
        {
            Content = new StringContent(System.Text.Encoding.UTF8.GetString(ReportDocumentJson.Serialize(corrected)), System.Text.Encoding.UTF8, "application/json"),
        };
        stale.Headers.IfMatch.Add(etag);
        var problem = await (await admin.SendAsync(stale)).Problem(HttpStatusCode.PreconditionFailed);
        Assert.Contains("revision 2", problem["detail"]!.GetValue<string>());
    }
}
