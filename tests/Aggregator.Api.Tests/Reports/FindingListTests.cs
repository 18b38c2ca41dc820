using System.Net;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;
using Aggregator.Tests;

namespace Aggregator.Api.Tests.Reports;

/// <summary>
/// GET /api/v1/findings: which reports break the template's arithmetic, each finding with the cells its rule reads
/// and their values as sent. A database of its own (the list is over everything).
/// </summary>
public sealed class FindingListTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Findings_list_each_reports_findings_with_the_cells_their_rule_reads_filtered_and_walked_by_cursor()
    {
        var admin = api.Admin();
        var wusu = Http.Unique("f-wusu");
        var tacheng = Http.Unique("f-tacheng");
        var clean = Http.Unique("f-clean");
        var pingtan = Http.Unique("f-pingtan");
        await admin.RegisterAgency(wusu, "654202", "transport");
        await admin.RegisterAgency(tacheng, "654201", "transport");
        await admin.RegisterAgency(clean, "654201", "government");
        await admin.RegisterAgency(pingtan, "350128", "government");
        var seed = ReportFixtures.Document("wusu-transport-2020"); // as published: R1 in the total column
        var broken = ReportFixtures.Document("pingtan-2021");
        broken.Set("applications.granted", Applicant.NaturalPerson, (broken.Get("applications.granted", Applicant.NaturalPerson) ?? 0) + 1); // R2, R3
        broken.Set("appeals.review.total", null, 99); // R4
        Assert.Equal(HttpStatusCode.Created, (await admin.PutReport(wusu, 2020, seed)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PutReport(tacheng, 2021, broken)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PutReport(clean, 2021, ReportFixtures.Document("pingtan-2021"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PutReport(pingtan, 2021, broken)).StatusCode);
        var sent = new Dictionary<string, ReportDocument> { [$"{wusu}/2020"] = seed, [$"{tacheng}/2021"] = broken, [$"{pingtan}/2021"] = broken };

        // Walked a report a page, by the cursor each page gives.
        var items = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var page = await (await api.Anonymous().GetAsync($"/api/v1/findings?division=6542&pageSize=1{(cursor is null ? "" : $"&cursor={cursor}")}")).Json();
            Assert.Single(page["items"]!.AsArray());
            items.AddRange(page["items"]!.AsArray()!);
            cursor = page["next"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal([$"{tacheng}/2021", $"{wusu}/2020"], items.Select(Key).Order());
        foreach (var item in items)
        {
            var document = sent[Key(item)];
            var expected = ConsistencyRules.Check(document).Select(f => $"{f.Rule} {f.Path}").Order();
            Assert.Equal(expected, item["findings"]!.AsArray().Select(f => $"{f!["rule"]} {f["path"]}").Order());
            foreach (var finding in item["findings"]!.AsArray())
            {
                foreach (var cell in finding!["cells"]!.AsArray())
                {
                    Assert.Equal(Value(document, cell!["path"]!.GetValue<string>()), cell["value"]?.GetValue<decimal>());
                }
            }
        }

        var r1 = items.Single(i => Key(i) == $"{wusu}/2020")["findings"]!.AsArray().Single(f => f!["rule"]!.GetValue<string>() == "R1")!;
        Assert.Equal(["applications.newlyReceived.total", "applications.carriedOver.total", "applications.totalHandled.total", "applications.carriedForward.total"],
            Paths(r1));
        var tachengFindings = items.Single(i => Key(i) == $"{tacheng}/2021")["findings"]!.AsArray();
        Assert.Equal(Applicants.All.Select(a => $"applications.granted.{a.Key()}"), Paths(tachengFindings.Single(f => f!["rule"]!.GetValue<string>() == "R2")!));
        Assert.Equal(["appeals.review.upheld", "appeals.review.corrected", "appeals.review.other", "appeals.review.pending", "appeals.review.total"],
            Paths(tachengFindings.Single(f => f!["rule"]!.GetValue<string>() == "R4")!));
        var r3 = Paths(tachengFindings.Single(f => f!["rule"]!.GetValue<string>() == "R3")!);
        Assert.Equal("applications.totalHandled.naturalPerson", r3[0]);
        Assert.Contains("applications.granted.naturalPerson", r3);

        // One rule: only the reports that break it, only its findings; every province.
        var r4 = (await (await api.Anonymous().GetAsync("/api/v1/findings?rule=R4")).Json())["items"]!.AsArray();
        Assert.Equal([$"{pingtan}/2021", $"{tacheng}/2021"], r4.Select(i => Key(i!)).Order());
        Assert.All(r4, i => Assert.Equal(["R4"], i!["findings"]!.AsArray().Select(f => f!["rule"]!.GetValue<string>())));

        // As CSV: a row per finding, the cells as path=value.
        var csv = await (await api.Anonymous().GetAsync("/api/v1/findings.csv?division=6542&rule=R4")).Content.ReadAsStringAsync();
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("agency,agencyName,divisionCode,sector,year,edition,revision,rule,severity,path,message,cells", lines[0]);
        var row = Assert.Single(lines.Skip(1));
        Assert.StartsWith($"{tacheng},", row);
        Assert.Contains("appeals.review.total=99", row);

        var badRule = await (await api.Anonymous().GetAsync("/api/v1/findings?rule=R9")).Problem(HttpStatusCode.BadRequest);
        Assert.NotNull(badRule["errors"]!["rule"]);
        var firstCursor = (await (await api.Anonymous().GetAsync("/api/v1/findings?division=6542&pageSize=1")).Json())["next"]!.GetValue<string>();
        var otherFilter = await (await api.Anonymous().GetAsync($"/api/v1/findings?division=65&pageSize=1&cursor={firstCursor}")).Problem(HttpStatusCode.BadRequest);
        Assert.NotNull(otherFilter["errors"]!["cursor"]);
    }

    private static string Key(JsonNode item) => $"{item["agency"]}/{item["year"]}";

    private static string[] Paths(JsonNode finding) => finding["cells"]!.AsArray().Select(c => c!["path"]!.GetValue<string>()).ToArray();

    /// <summary>A cell's value in the document sent, found by walking its fields (not by the code under test).</summary>
    private static decimal? Value(ReportDocument document, string path) => document.Fields.Single(c => c.Path == path).Value;
}
