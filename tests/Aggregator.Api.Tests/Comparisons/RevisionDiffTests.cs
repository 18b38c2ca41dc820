using System.Net;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;

namespace Aggregator.Api.Tests.Comparisons;

/// <summary>GET …/reports/{year}/revisions/{n}/diff: what a correction changed, cell by cell.</summary>
[Collection(ApiCollection.Name)]
public sealed class RevisionDiffTests(ApiFactory api)
{
    private async Task<string> Agency()
    {
        var agency = Http.Unique("diff");
        await api.Admin().RegisterAgency(agency, "654202", "transport");
        return agency;
    }

    private static ReportDocument Document(Edition edition, int seed)
    {
        var random = new Random(seed);
        var document = new ReportDocument(edition) { Overview = "一、总体情况", Problems = "五、问题" };
        foreach (var cell in document.Fields)
        {
            document.Set(cell.Metric, cell.Applicant, random.NextDouble() < 0.2 ? null : random.Next(0, 300));
        }
        return document;
    }

    private static ReportDocument Copy(ReportDocument source)
    {
        var copy = new ReportDocument(source.Edition) { Overview = source.Overview, Problems = source.Problems, OtherMatters = source.OtherMatters };
        foreach (var cell in source.Fields)
        {
            copy.Set(cell.Metric, cell.Applicant, cell.Value);
        }
        return copy;
    }

    private async Task Submit(string agency, int year, ReportDocument document)
    {
        var response = await api.Admin().PutReport(agency, year, document);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonObject> Diff(string agency, int year, string query)
    {
        var response = await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/{year}/revisions/{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private static string[] Changes(JsonObject diff) =>
        diff["changes"]!.AsArray().Select(c => $"{c!["path"]}: {Show(c["from"])} → {Show(c["to"])} ({c["kind"]})").ToArray();

    private static string Show(JsonNode? value) =>
        value is null ? "null" : value.GetValueKind() == System.Text.Json.JsonValueKind.String ? $"\"{value.GetValue<string>()}\"" : value.ToJsonString();

    [Fact]
    public async Task A_correction_lists_exactly_the_cells_and_narratives_it_changed_blank_to_zero_included()
    {
        var agency = await Agency();
        var first = Document(Edition.Edition2021, 10);
        first.Set("applications.granted", Applicant.Total, null);
        first.Set("proactive.penalty.decisions", null, 5);
        first.Set("appeals.review.pending", null, 0);
        first.Set("proactive.fees.amount", null, 1.5m);
        await Submit(agency, 2022, first);
        var second = Copy(first);
        second.Set("applications.granted", Applicant.Total, 0);          // blank → 0 is a change
        second.Set("proactive.penalty.decisions", null, 7);
        second.Set("appeals.review.pending", null, null);                  // 0 → blank too
        second.Set("proactive.fees.amount", null, 1.500000m);              // same number, other form: no change
        second.Overview = "一、总体情况（更正）";
        second.OtherMatters = "六、收费 0 元";
        await Submit(agency, 2022, second);

        var diff = await Diff(agency, 2022, "2/diff");

        Assert.Equal((agency, 2022, 2, 1, "2021", "2021"), (diff["agency"]!.GetValue<string>(), diff["year"]!.GetValue<int>(),
            diff["revision"]!.GetValue<int>(), diff["from"]!.GetValue<int>(), diff["edition"]!.GetValue<string>(), diff["fromEdition"]!.GetValue<string>()));
        Assert.Equal(
        [
            "overview: \"一、总体情况\" → \"一、总体情况（更正）\" (changed)",
            "proactive.penalty.decisions: 5 → 7 (changed)",
            "applications.granted.total: null → 0 (changed)",
            "appeals.review.pending: 0 → null (changed)",
            "otherMatters: null → \"六、收费 0 元\" (changed)",
        ], Changes(diff));
    }

    [Fact]
    public async Task From_picks_any_earlier_revision_and_an_unchanged_pair_has_no_changes()
    {
        var agency = await Agency();
        var document = Document(Edition.Edition2019, 11);
        document.Set("proactive.penalty.itemsChange", null, -3);
        await Submit(agency, 2020, document);
        var second = Copy(document);
        second.Set("proactive.penalty.itemsChange", null, 2);
        await Submit(agency, 2020, second);
        var third = Copy(second);
        third.Set("proactive.penalty.itemsChange", null, -3);
        third.Set("applications.newlyReceived", Applicant.NaturalPerson, 9_999);
        await Submit(agency, 2020, third);

        Assert.Equal(["proactive.penalty.itemsChange: -3 → 2 (changed)"], Changes(await Diff(agency, 2020, "2/diff")));
        var fromFirst = await Diff(agency, 2020, "3/diff?from=1");
        Assert.Equal(1, fromFirst["from"]!.GetValue<int>());
        var expected = document.Get("applications.newlyReceived", Applicant.NaturalPerson) is { } was ? was.ToString() : "null";
        Assert.Equal([$"applications.newlyReceived.naturalPerson: {expected} → 9999 (changed)"], Changes(fromFirst));
    }

    [Fact]
    public async Task An_edition_change_lists_the_cells_of_one_edition_as_removed_or_added()
    {
        var agency = await Agency();
        var old = Document(Edition.Edition2019, 12);
        old.Set("proactive.penalty.decisions", null, 3);
        old.Set("proactive.regulations.publishedTotal", null, 8);
        await Submit(agency, 2021, old);
        var corrected = Document(Edition.Edition2021, 13);
        corrected.Set("proactive.penalty.decisions", null, 3);
        corrected.Set("proactive.regulations.inForce", null, null);
        await Submit(agency, 2021, corrected);

        var diff = await Diff(agency, 2021, "2/diff");

        Assert.Equal(("2021", "2019"), (diff["edition"]!.GetValue<string>(), diff["fromEdition"]!.GetValue<string>()));
        var changes = diff["changes"]!.AsArray().ToDictionary(c => c!["path"]!.GetValue<string>(), c => c!);
        var only2019 = old.Fields.Where(c => !corrected.Fields.Any(n => n.Path == c.Path)).ToArray();
        var only2021 = corrected.Fields.Where(c => !old.Fields.Any(o => o.Path == c.Path)).ToArray();
        Assert.All(only2019, c => Assert.Equal("removed", changes[c.Path]["kind"]!.GetValue<string>()));
        Assert.All(only2021, c => Assert.Equal("added", changes[c.Path]["kind"]!.GetValue<string>()));
        Assert.Equal(8, changes["proactive.regulations.publishedTotal"]["from"]!.GetValue<decimal>());
        Assert.Null(changes["proactive.regulations.publishedTotal"]["to"]);
        Assert.Null(changes["proactive.regulations.inForce"]["to"]);
        Assert.Contains("applications.otherHandling.total", only2019.Select(c => c.Path)); // a row in 2019, three rows in 2021
        Assert.False(changes.ContainsKey("proactive.penalty.decisions"));

        var shared = old.Fields.Where(c => corrected.Fields.Any(n => n.Path == c.Path)).ToArray();
        var changedShared = shared.Where(c => c.Value != corrected.Fields.Single(n => n.Path == c.Path).Value).Select(c => c.Path).ToArray();
        Assert.Equal(only2019.Length + only2021.Length + changedShared.Length, changes.Count);
        Assert.All(changedShared, path => Assert.Equal("changed", changes[path]["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_404_of_a_missing_revision_names_the_revision_asked_for()
    {
        var agency = await Agency();
        await Submit(agency, 2022, Document(Edition.Edition2021, 16));

        var noReport = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2023/revisions/2/diff")).Problem(HttpStatusCode.NotFound);
        var noRevision = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2022/revisions/2/diff")).Problem(HttpStatusCode.NotFound);

        Assert.Contains("revision 2", noReport["detail"]!.GetValue<string>());
        Assert.Contains("revision 2", noRevision["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_revisions_are_404_and_impossible_from_values_400()
    {
        var agency = await Agency();
        await Submit(agency, 2022, Document(Edition.Edition2021, 14));
        await Submit(agency, 2022, Document(Edition.Edition2021, 15));

        await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2022/revisions/3/diff")).Problem(HttpStatusCode.NotFound);
        await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2023/revisions/2/diff")).Problem(HttpStatusCode.NotFound);
        var unknownFrom = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2022/revisions/5/diff?from=4")).Problem(HttpStatusCode.NotFound);
        Assert.Contains("revision", unknownFrom["detail"]!.GetValue<string>());

        foreach (var query in new[] { "1/diff", "2/diff?from=2", "2/diff?from=3", "2/diff?from=0" })
        {
            var problem = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2022/revisions/{query}")).Problem(HttpStatusCode.BadRequest);
            Assert.Equal(["from"], problem.ErrorKeys());
        }
    }
}
