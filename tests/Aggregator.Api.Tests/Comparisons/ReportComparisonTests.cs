using System.Net;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;

namespace Aggregator.Api.Tests.Comparisons;

/// <summary>GET …/reports/{year}/compare?with=…: two years of one agency side by side, expectations from the submitted documents.</summary>
[Collection(ApiCollection.Name)]
public sealed class ReportComparisonTests(ApiFactory api)
{
    private static ReportDocument RandomDocument(Edition edition, int seed)
    {
        var random = new Random(seed);
        var document = new ReportDocument(edition);
        foreach (var cell in document.Fields)
        {
            document.Set(cell.Metric, cell.Applicant, random.NextDouble() < 0.2 ? null : random.Next(0, 300));
        }
        return document;
    }

    private async Task<string> Agency()
    {
        var agency = Http.Unique("cmp");
        await api.Admin().RegisterAgency(agency, "654202", "transport");
        return agency;
    }

    private async Task<JsonObject> Compare(string agency, int year, int with)
    {
        var response = await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/{year}/compare?with={with}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Json();
    }

    private static JsonNode Entry(JsonObject comparison, string metric, string? applicant = null) =>
        comparison["metrics"]!.AsArray().Single(m => m!["metric"]!.GetValue<string>() == metric && m["applicant"]?.GetValue<string>() == applicant)!;

    private static (decimal? Value, decimal? With, decimal? Change) Values(JsonNode entry) =>
        (entry["value"]?.GetValue<decimal>(), entry["withValue"]?.GetValue<decimal>(), entry["change"]?.GetValue<decimal>());

    [Fact]
    public async Task Across_the_2020_to_2021_edition_change_only_metrics_of_both_editions_compare()
    {
        var agency = await Agency();
        var before = RandomDocument(Edition.Edition2019, 1);
        before.Set("proactive.penalty.decisions", null, 5);
        before.Set("proactive.regulations.publishedTotal", null, 40);
        before.Set("applications.granted", Applicant.Total, null);
        before.Set("applications.otherHandling", Applicant.Total, 4);
        var after = RandomDocument(Edition.Edition2021, 2);
        after.Set("proactive.penalty.decisions", null, 12);
        after.Set("proactive.regulations.inForce", null, 41);
        after.Set("applications.granted", Applicant.Total, 0);
        after.Set("applications.otherHandling.noCorrection", Applicant.Total, 1);
        after.Set("applications.otherHandling.feeUnpaid", Applicant.Total, 2);
        after.Set("applications.otherHandling.other", Applicant.Total, null);
        await api.Admin().PutReport(agency, 2020, before);
        await api.Admin().PutReport(agency, 2021, after);

        var comparison = await Compare(agency, 2021, 2020);

        Assert.Equal((agency, 2021, 2020, "2021", "2019"), (comparison["agency"]!.GetValue<string>(), comparison["year"]!.GetValue<int>(),
            comparison["with"]!.GetValue<int>(), comparison["edition"]!.GetValue<string>(), comparison["withEdition"]!.GetValue<string>()));
        Assert.Equal((12m, 5m, 7m), Values(Entry(comparison, "proactive.penalty.decisions")));
        Assert.Equal((0m, null, null), Values(Entry(comparison, "applications.granted", "total")));
        Assert.Equal((3m, 4m, -1m), Values(Entry(comparison, "applications.otherHandling", "total"))); // 1 + 2 + blank in 2021

        var skipped = comparison["skipped"]!.AsArray().ToDictionary(s => s!["metric"]!.GetValue<string>(), s => s!["reason"]!.GetValue<string>());
        Assert.Equal("proactive.regulations.publishedTotal exists only in edition 2019", skipped["proactive.regulations.publishedTotal"]);
        Assert.Equal("proactive.regulations.inForce exists only in edition 2021", skipped["proactive.regulations.inForce"]);
        Assert.Contains("applications.otherHandling.feeUnpaid", skipped.Keys);
        Assert.DoesNotContain(comparison["metrics"]!.AsArray(), m => m!["metric"]!.GetValue<string>() == "proactive.regulations.inForce");

        // Every cell of a metric in both editions compares, each with the change computed here from the documents.
        var expected = new List<(string, string?, decimal?, decimal?, decimal?)>();
        var expectedSkipped = new List<string>();
        foreach (var metric in MetricCatalogue.All)
        {
            var in2019 = metric.Editions.Contains(Edition.Edition2019);
            var in2021 = metric.Editions.Contains(Edition.Edition2021);
            if (in2019 != in2021)
            {
                expectedSkipped.Add(metric.Code);
                continue;
            }
            foreach (var applicant in metric.HasApplicants ? Applicants.All.Cast<Applicant?>() : [null])
            {
                var now = metric.Code == "applications.otherHandling"
                    ? Sum(new[] { "noCorrection", "feeUnpaid", "other" }.Select(c => after.Get($"applications.otherHandling.{c}", applicant)))
                    : after.Get(metric, applicant);
                var then = before.Get(metric, applicant);
                expected.Add((metric.Code, applicant?.Key(), now, then, now is null || then is null ? null : now - then));
            }
        }
        Assert.Equal(expected, comparison["metrics"]!.AsArray().Select(m => (m!["metric"]!.GetValue<string>(), m["applicant"]?.GetValue<string>(),
            m["value"]?.GetValue<decimal>(), m["withValue"]?.GetValue<decimal>(), m["change"]?.GetValue<decimal>())));
        Assert.Equal(expectedSkipped, skipped.Keys);
    }

    private static decimal? Sum(IEnumerable<decimal?> values) =>
        values.Aggregate((decimal?)null, (sum, value) => value is null ? sum : (sum ?? 0) + value);

    [Fact]
    public async Task Within_one_edition_every_metric_compares_and_nothing_is_skipped_with_the_latest_revisions()
    {
        var agency = await Agency();
        var earlier = RandomDocument(Edition.Edition2021, 3);
        var later = RandomDocument(Edition.Edition2021, 4);
        await api.Admin().PutReport(agency, 2022, RandomDocument(Edition.Edition2021, 5));
        await api.Admin().PutReport(agency, 2022, later); // revision 2 is the one compared
        await api.Admin().PutReport(agency, 2021, earlier);

        var comparison = await Compare(agency, 2021, 2022);

        Assert.Empty(comparison["skipped"]!.AsArray());
        var metrics = comparison["metrics"]!.AsArray();
        Assert.Equal(MetricCatalogue.All.Where(m => m.Editions.Contains(Edition.Edition2021)).Sum(m => m.HasApplicants ? 7 : 1), metrics.Count);
        var issued = Entry(comparison, "proactive.regulations.issued");
        var (a, b) = (earlier.Get("proactive.regulations.issued"), later.Get("proactive.regulations.issued"));
        Assert.Equal((a, b, a is null || b is null ? null : a - b), Values(issued));
        foreach (var entry in metrics)
        {
            var (value, with, change) = Values(entry!);
            Assert.Equal(value is null || with is null ? null : value - with, change);
        }
    }

    [Fact]
    public async Task A_missing_report_is_404_and_a_missing_or_same_year_is_400()
    {
        var agency = await Agency();
        await api.Admin().PutReport(agency, 2021, RandomDocument(Edition.Edition2021, 6));

        var missing = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2021/compare?with=2020")).Problem(HttpStatusCode.NotFound);
        Assert.Contains("2020", missing["detail"]!.GetValue<string>());
        await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2019/compare?with=2021")).Problem(HttpStatusCode.NotFound);
        await (await api.Anonymous().GetAsync("/api/v1/agencies/nobody-here/reports/2021/compare?with=2020")).Problem(HttpStatusCode.NotFound);

        var noWith = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2021/compare")).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(["with"], noWith.ErrorKeys());
        var same = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2021/compare?with=2021")).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(["with"], same.ErrorKeys());
    }
}
