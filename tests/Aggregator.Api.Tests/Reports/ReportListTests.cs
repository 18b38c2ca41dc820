using System.Net;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;
using Aggregator.Tests;

namespace Aggregator.Api.Tests.Reports;

/// <summary>Lists over everything, so the class has a database of its own.</summary>
public sealed class ReportListTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Reports_list_their_latest_revision_filtered_by_division_year_edition_and_findings()
    {
        var admin = api.Admin();
        const string sector = "transport";
        var wusu = Http.Unique("wusu");
        var pingtan = Http.Unique("pt");
        await admin.RegisterAgency(wusu, "654202", sector);
        await admin.RegisterAgency(pingtan, "350128", sector);
        await admin.PutReport(wusu, 2020, ReportFixtures.DocumentJson("wusu-transport-2020"));
        var fixedSeed = ReportFixtures.Document("wusu-transport-2020");
        fixedSeed.Set("applications.newlyReceived", Applicant.Total, 10);
        await admin.PutReport(wusu, 2020, fixedSeed);
        await admin.PutReport(pingtan, 2021, ReportFixtures.DocumentJson("pingtan-2021"));
        var broken = ReportFixtures.Document("pingtan-2021");
        broken.Set("appeals.review.total", null, 99);
        await admin.PutReport(pingtan, 2023, broken);

        async Task<string[]> List(string query)
        {
            var page = await (await api.Anonymous().GetAsync($"/api/v1/reports?sector={sector}&{query}")).Json();
            var items = page["items"]!.AsArray();
            Assert.Null(page["next"]); // all of them on the first page
            return items.Select(i => $"{i!["agency"]}/{i["year"]}/r{i["revision"]}/{i["edition"]}/f{i["findingCount"]}").ToArray();
        }

        Assert.Equal([$"{pingtan}/2021/r1/2021/f0", $"{pingtan}/2023/r1/2021/f1", $"{wusu}/2020/r2/2019/f0"], (await List("")).Order());
        Assert.Equal([$"{wusu}/2020/r2/2019/f0"], await List("division=65"));
        Assert.Equal([$"{pingtan}/2023/r1/2021/f1"], await List("year=2023"));
        Assert.Equal([$"{wusu}/2020/r2/2019/f0"], await List("edition=2019"));
        Assert.Equal([$"{pingtan}/2023/r1/2021/f1"], await List("hasFindings=true"));
        Assert.Equal(2, (await List("hasFindings=false")).Length);
        await (await api.Anonymous().GetAsync("/api/v1/reports?edition=2020")).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task R5_compares_with_the_agencys_previous_year()
    {
        var admin = api.Admin();
        var agency = Http.Unique("r5");
        await admin.RegisterAgency(agency, "350128", "government");
        var previous = ReportFixtures.Document("pingtan-2021");
        await admin.PutReport(agency, 2021, previous);
        var next = ReportFixtures.Document("pingtan-2021");
        next.Set("applications.carriedOver", Applicant.Total, (previous.Get("applications.carriedForward", Applicant.Total) ?? 0) + 5);

        var revision = await (await admin.PutReport(agency, 2022, next)).Json();

        var rules = revision["findings"]!.AsArray().Select(f => (f!["rule"]!.GetValue<string>(), f["severity"]!.GetValue<string>(), f["path"]!.GetValue<string>()));
        Assert.Contains(("R5", "info", "applications.carriedOver.total"), rules);
    }

    [Fact]
    public async Task Concurrent_corrections_of_one_report_each_get_a_revision()
    {
        var admin = api.Admin();
        var agency = Http.Unique("race");
        await admin.RegisterAgency(agency, "350128", "government");
        const int writers = 12;

        var responses = await Task.WhenAll(Enumerable.Range(1, writers).Select(i =>
        {
            var document = ReportFixtures.Document("pingtan-2021");
            document.Set("proactive.penalty.decisions", null, i);
            return api.Admin().PutReport(agency, 2021, document);
        }));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var revisions = (await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2021/revisions")).JsonBody()).AsArray();
        Assert.Equal(Enumerable.Range(1, writers), revisions.Select(r => r!["revision"]!.GetValue<int>()));
        var stored = new HashSet<decimal>();
        for (var n = 1; n <= writers; n++)
        {
            var revision = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2021?revision={n}")).Json();
            stored.Add(revision["document"]!["proactive"]!["penalty"]!["decisions"]!.GetValue<decimal>());
        }
        Assert.Equal(Enumerable.Range(1, writers).Select(i => (decimal)i).ToHashSet(), stored);
    }
}
