using System.Net;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;

namespace Aggregator.Api.Tests.Rollups;

/// <summary>
/// Rollups over a generated multi-agency, multi-year data set (both editions, ~20% blank cells), checked against sums
/// the test computes itself from the documents it submitted. The class has a database of its own.
/// </summary>
public sealed class RollupTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private sealed record Submitted(string Agency, string Division, int Year, ReportDocument Document);

    private static readonly string[] Divisions = ["654202", "654201", "654301", "650102", "320812", "320800", "321322"];

    // One data set for the class (xunit makes an instance per test); tests that change it keep this list in step.
    private static readonly SemaphoreSlim Seeding = new(1, 1);
    private static string? seededSector;
    private static readonly List<Submitted> Seeded = [];
    private static readonly List<(string Agency, string Division)> Registered = [];

    private string sector = "";
    private readonly List<Submitted> reports = Seeded;

    public async Task InitializeAsync()
    {
        await Seeding.WaitAsync();
        try
        {
            if (seededSector is null)
            {
                await Seed("transport");
            }
        }
        finally
        {
            Seeding.Release();
        }
        sector = seededSector!;
    }

    private async Task Seed(string newSector)
    {
        var random = new Random(2026);
        var admin = api.Admin();
        for (var i = 0; i < 12; i++)
        {
            var agency = Http.Unique($"ru{i}");
            var division = Divisions[i % Divisions.Length];
            await admin.RegisterAgency(agency, division, newSector);
            Registered.Add((agency, division));
            for (var year = 2019; year <= 2023; year++)
            {
                if (random.NextDouble() < 0.15)
                {
                    continue; // some agencies did not report some years
                }
                var document = RandomDocument(random, Editions.PrescribedFor(year));
                var response = await admin.PutReport(agency, year, document);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                Seeded.Add(new Submitted(agency, division, year, document));
            }
        }
        seededSector = newSector;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static ReportDocument RandomDocument(Random random, Edition edition)
    {
        var document = new ReportDocument(edition);
        foreach (var cell in document.Fields)
        {
            decimal? value = random.NextDouble() < 0.2 ? null
                : cell.Metric.Unit == MetricUnit.WanYuan ? Math.Round((decimal)random.NextDouble() * 10_000, 6)
                : cell.Metric.MayBeNegative ? random.Next(-20, 20)
                : random.Next(0, 5_000);
            document.Set(cell.Metric, cell.Applicant, value);
        }
        return document;
    }

    /// <summary>The rows of groups that reported (groups where agencies were expected but none reported come too; see Reporting_rates…).</summary>
    private async Task<JsonArray> Rollup(string query) =>
        new((await AllRows(query)).Where(r => r!["reports"]!.GetValue<int>() > 0).Select(r => r!.DeepClone()).ToArray());

    private async Task<JsonArray> AllRows(string query)
    {
        var response = await api.Anonymous().GetAsync($"/api/v1/rollups?sector={sector}&{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Json())["rows"]!.AsArray();
    }

    [Fact]
    public async Task A_group_reporting_only_in_an_edition_without_the_metric_still_has_its_row()
    {
        var row = Assert.Single(await AllRows("metric=proactive.fees.amount&groupBy=year&yearFrom=2020&yearTo=2020"))!;

        Assert.Equal(2020, row["year"]!.GetValue<int>());
        Assert.Null(row["values"]!["proactive.fees.amount"]);
        Assert.Equal(reports.Count(r => r.Year == 2020), row["reports"]!.GetValue<int>());
    }

    [Fact]
    public async Task Reporting_rates_tell_zero_from_not_reported()
    {
        var rows = await AllRows("metric=proactive.penalty.decisions&groupBy=prefecture&groupBy=year&yearFrom=2019&yearTo=2024");

        var agenciesPerPrefecture = Registered.GroupBy(a => a.Division[..4] + "00").ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(agenciesPerPrefecture.Count * 6, rows.Count);
        foreach (var row in rows)
        {
            var prefecture = row!["prefecture"]!.GetValue<string>();
            var year = row["year"]!.GetValue<int>();
            var reported = reports.Count(r => r.Division[..4] + "00" == prefecture && r.Year == year);
            Assert.Equal(agenciesPerPrefecture[prefecture], row["expected"]!.GetValue<int>());
            Assert.Equal(reported, row["reports"]!.GetValue<int>());
            Assert.Equal(Math.Round((decimal)reported / agenciesPerPrefecture[prefecture], 4), row["reportingRate"]!.GetValue<decimal>());
            if (reported == 0)
            {
                Assert.Null(row["values"]!["proactive.penalty.decisions"]);
            }
        }
        Assert.Contains(rows, r => r!["year"]!.GetValue<int>() == 2024 && r["reportingRate"]!.GetValue<decimal>() == 0);
    }

    /// <summary>What a row should say, computed from the submitted documents.</summary>
    private static (decimal? Value, int Blanks, int Reports) Expected(IEnumerable<Submitted> group, string metricCode, Applicant applicant = Applicant.Total)
    {
        var metric = MetricCatalogue.Get(metricCode);
        var carrying = group.Where(r => metric.IsIn(r.Document.Edition)).ToArray();
        var values = carrying.Select(r => r.Document.Get(metric, metric.HasApplicants ? applicant : null)).ToArray();
        return (carrying.Length == 0 ? null : values.Sum(v => v ?? 0), values.Count(v => v is null), carrying.Length);
    }

    private static (decimal? Value, int Blanks, int Reports) Actual(JsonNode row, string metric) =>
        (row["values"]![metric]?.GetValue<decimal>(), row["blanks"]![metric]!.GetValue<int>(), row["reports"]!.GetValue<int>());

    [Fact]
    public async Task Penalty_decisions_by_prefecture_and_year()
    {
        const string metric = "proactive.penalty.decisions";
        var rows = await Rollup($"metric={metric}&groupBy=prefecture&groupBy=year");

        var expected = reports.GroupBy(r => (Prefecture: r.Division[..4] + "00", r.Year)).OrderBy(g => g.Key).ToArray();
        Assert.Equal(expected.Select(g => $"{g.Key.Prefecture}/{g.Key.Year}"), rows.Select(r => $"{r!["prefecture"]}/{r["year"]}"));
        foreach (var (group, row) in expected.Zip(rows))
        {
            Assert.Equal(Expected(group, metric), Actual(row!, metric));
            Assert.False(row!.AsObject().ContainsKey("county"));
        }
        Assert.Contains(rows, r => r!["blanks"]![metric]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Complaint_type_applications_not_processed_by_agency_and_year()
    {
        const string metric = "applications.notProcessed.petitionComplaint";
        var rows = await Rollup($"metric={metric}&groupBy=agency,year");

        var expected = reports.GroupBy(r => (r.Agency, r.Year)).OrderBy(g => g.Key.Agency, StringComparer.Ordinal).ThenBy(g => g.Key.Year).ToArray();
        Assert.Equal(expected.Length, rows.Count);
        foreach (var (group, row) in expected.Zip(rows))
        {
            Assert.Equal(group.Key.Agency, row!["agency"]!.GetValue<string>());
            Assert.Equal(group.Key.Year, row["year"]!.GetValue<int>());
            Assert.Equal(Expected(group, metric), Actual(row, metric));
        }
    }

    [Fact]
    public async Task By_applicant_within_a_province_and_years()
    {
        const string metric = "applications.granted";
        var rows = await Rollup($"metric={metric}&groupBy=applicant&division=65&yearFrom=2020&yearTo=2022");

        var inScope = reports.Where(r => r.Division.StartsWith("65") && r.Year is >= 2020 and <= 2022).ToArray();
        Assert.Equal(Applicants.All.Select(a => a.Key()).Order(), rows.Select(r => r!["applicant"]!.GetValue<string>()).Order());
        foreach (var row in rows)
        {
            Applicants.TryParse(row!["applicant"]!.GetValue<string>(), out var applicant);
            Assert.Equal(Expected(inScope, metric, applicant), Actual(row, metric));
        }
    }

    [Fact]
    public async Task Applicant_rows_come_in_template_order()
    {
        var rows = await Rollup("metric=applications.granted&groupBy=applicant");

        Assert.Equal(Applicants.All.Select(a => a.Key()), rows.Select(r => r!["applicant"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Compared_rows_always_carry_previous_and_change_even_where_nothing_compares()
    {
        const string metric = "proactive.penalty.decisions";
        var rows = await AllRows($"metric={metric}&groupBy=prefecture,year&yearFrom=2019&yearTo=2024&compare=previousYear");

        Assert.Contains(rows, r => r!["reports"]!.GetValue<int>() == 0);
        Assert.All(rows, row =>
        {
            Assert.True(row!["previous"]!.AsObject().ContainsKey(metric), row.ToJsonString());
            Assert.True(row["change"]!.AsObject().ContainsKey(metric), row.ToJsonString());
        });
        Assert.All(rows.Where(r => r!["reports"]!.GetValue<int>() == 0), row => Assert.Null(row!["change"]![metric]));
    }

    [Fact]
    public async Task One_applicant_column_by_county()
    {
        const string metric = "applications.newlyReceived";
        var rows = await Rollup($"metric={metric}&groupBy=county&applicant=naturalPerson");

        foreach (var group in reports.GroupBy(r => r.Division))
        {
            var row = rows.Single(r => r!["county"]!.GetValue<string>() == group.Key);
            Assert.Equal(Expected(group, metric, Applicant.NaturalPerson), Actual(row!, metric));
        }
    }

    [Fact]
    public async Task A_metric_of_one_edition_sums_over_that_editions_reports_only()
    {
        var rows = await Rollup("metric=proactive.penalty.decisions&metric=proactive.regulations.publishedTotal&metric=proactive.fees.amount&groupBy=year");

        foreach (var row in rows)
        {
            var year = row!["year"]!.GetValue<int>();
            var group = reports.Where(r => r.Year == year).ToArray();
            Assert.Equal(Expected(group, "proactive.penalty.decisions").Value, row["values"]!["proactive.penalty.decisions"]!.GetValue<decimal>());
            Assert.Equal(Expected(group, "proactive.regulations.publishedTotal").Value, row["values"]!["proactive.regulations.publishedTotal"]?.GetValue<decimal>());
            Assert.Equal(Expected(group, "proactive.fees.amount").Value, row["values"]!["proactive.fees.amount"]?.GetValue<decimal>());
            Assert.Equal(group.Length, row["reports"]!.GetValue<int>());
            Assert.Equal(year <= 2020, row["values"]!["proactive.fees.amount"] is null);
        }
    }

    [Fact]
    public async Task Other_handling_compares_across_editions_as_the_sum_of_the_2021_rows()
    {
        var rows = await Rollup("metric=applications.otherHandling&groupBy=year");

        foreach (var row in rows)
        {
            var group = reports.Where(r => r.Year == row!["year"]!.GetValue<int>()).ToArray();
            Assert.Equal(Expected(group, "applications.otherHandling"), Actual(row!, "applications.otherHandling"));
        }
        Assert.Equal(5, rows.Count);
    }

    [Fact]
    public async Task Without_grouping_one_row_sums_everything()
    {
        var row = Assert.Single(await Rollup("metric=appeals.review.total"));

        Assert.Equal(Expected(reports, "appeals.review.total"), Actual(row!, "appeals.review.total"));
    }

    [Fact]
    public async Task Blank_is_not_zero_all_blank_cells_sum_to_zero_and_are_counted()
    {
        var admin = api.Admin();
        const string blankSector = "public-security";
        foreach (var (division, decisions) in new (string, decimal?)[] { ("654202", null), ("654202", null), ("654201", 0) })
        {
            var agency = Http.Unique("blank");
            await admin.RegisterAgency(agency, division, blankSector);
            var document = new ReportDocument(Edition.Edition2021);
            document.Set("proactive.penalty.decisions", null, decisions);
            await admin.PutReport(agency, 2022, document);
        }

        var rows = (await (await api.Anonymous().GetAsync($"/api/v1/rollups?sector={blankSector}&metric=proactive.penalty.decisions&groupBy=county")).Json())["rows"]!.AsArray();

        Assert.Equal([("654201", 0m, 0, 1), ("654202", 0m, 2, 2)],
            rows.Select(r => (r!["county"]!.GetValue<string>(), r["values"]!["proactive.penalty.decisions"]!.GetValue<decimal>(),
                r["blanks"]!["proactive.penalty.decisions"]!.GetValue<int>(), r["reports"]!.GetValue<int>())));
    }

    [Fact]
    public async Task Rollups_follow_the_latest_revision()
    {
        var target = reports.First(r => r.Document.Edition == Edition.Edition2021);
        var corrected = RandomDocument(new Random(7), Edition.Edition2021);
        corrected.Set("proactive.penalty.decisions", null, 1_000_000);
        await api.Admin().PutReport(target.Agency, target.Year, corrected);
        reports[reports.IndexOf(target)] = target with { Document = corrected };

        var rows = await Rollup($"metric=proactive.penalty.decisions&groupBy=agency&groupBy=year&yearFrom={target.Year}&yearTo={target.Year}");

        var row = rows.Single(r => r!["agency"]!.GetValue<string>() == target.Agency);
        Assert.Equal(1_000_000m, row!["values"]!["proactive.penalty.decisions"]!.GetValue<decimal>());
        Assert.Equal(1, row["reports"]!.GetValue<int>());
    }

    /// <summary>What previous and change should say for a group beside the same group a year earlier.</summary>
    private static (decimal? Previous, decimal? Change) ExpectedComparison(Submitted[] group, Submitted[] before, string metricCode, Applicant applicant = Applicant.Total)
    {
        var metric = MetricCatalogue.Get(metricCode);
        bool OfItsEditionOnly(Submitted[] reports) => metric.Editions.Count == 2 || reports.All(r => metric.IsIn(r.Document.Edition));
        if (before.Length == 0 || !OfItsEditionOnly(group) || !OfItsEditionOnly(before))
        {
            return (null, null);
        }
        var now = Expected(group, metricCode, applicant);
        var then = Expected(before, metricCode, applicant);
        bool Published((decimal? Value, int Blanks, int Reports) sum) => sum.Value is not null && sum.Blanks < sum.Reports;
        return (then.Value, Published(now) && Published(then) ? now.Value - then.Value : null);
    }

    private static (decimal? Previous, decimal? Change) ActualComparison(JsonNode row, string metric) =>
        (row["previous"]![metric]?.GetValue<decimal>(), row["change"]![metric]?.GetValue<decimal>());

    [Fact]
    public async Task Compared_with_the_previous_year_by_prefecture_and_year()
    {
        const string metric = "proactive.penalty.decisions";
        var rows = await Rollup($"metric={metric}&groupBy=prefecture,year&compare=previousYear");

        Assert.Equal(reports.Select(r => (r.Division[..4], r.Year)).Distinct().Count(), rows.Count);
        foreach (var row in rows)
        {
            var (prefecture, year) = (row!["prefecture"]!.GetValue<string>()[..4], row["year"]!.GetValue<int>());
            var group = reports.Where(r => r.Division.StartsWith(prefecture) && r.Year == year).ToArray();
            var before = reports.Where(r => r.Division.StartsWith(prefecture) && r.Year == year - 1).ToArray();
            Assert.Equal(Expected(group, metric), Actual(row, metric));
            Assert.Equal(ExpectedComparison(group, before, metric), ActualComparison(row, metric));
        }
        Assert.Contains(rows, r => r!["change"]![metric] is not null);
        Assert.Contains(rows, r => r!["year"]!.GetValue<int>() == 2019 && r["previous"]![metric] is null);
    }

    [Fact]
    public async Task Only_metrics_that_compare_across_editions_compare_across_the_2020_to_2021_change()
    {
        string[] metrics = ["proactive.penalty.decisions", "proactive.regulations.publishedTotal", "proactive.regulations.inForce", "applications.otherHandling"];
        var rows = await Rollup($"metric={string.Join(",", metrics)}&groupBy=year&compare=previousYear");

        foreach (var row in rows)
        {
            var year = row!["year"]!.GetValue<int>();
            var group = reports.Where(r => r.Year == year).ToArray();
            var before = reports.Where(r => r.Year == year - 1).ToArray();
            foreach (var metric in metrics)
            {
                Assert.Equal(ExpectedComparison(group, before, metric), ActualComparison(row, metric));
            }
        }
        var row2021 = rows.Single(r => r!["year"]!.GetValue<int>() == 2021)!;
        Assert.NotNull(row2021["change"]!["proactive.penalty.decisions"]);
        Assert.NotNull(row2021["change"]!["applications.otherHandling"]);
        Assert.Null(row2021["previous"]!["proactive.regulations.inForce"]);
        Assert.Null(row2021["change"]!["proactive.regulations.inForce"]);
        Assert.NotNull(rows.Single(r => r!["year"]!.GetValue<int>() == 2020)!["change"]!["proactive.regulations.publishedTotal"]);
        Assert.NotNull(rows.Single(r => r!["year"]!.GetValue<int>() == 2022)!["change"]!["proactive.regulations.inForce"]);

        var plain = await Rollup("metric=proactive.penalty.decisions&groupBy=year");
        Assert.All(plain, r => Assert.False(r!.AsObject().ContainsKey("previous") || r.AsObject().ContainsKey("change")));
    }

    [Fact]
    public async Task One_year_by_agency_and_applicant_compares_with_the_year_before()
    {
        const string metric = "applications.granted";
        var rows = await Rollup($"metric={metric}&groupBy=agency,applicant&yearFrom=2022&yearTo=2022&compare=previousYear");

        Assert.Equal(reports.Count(r => r.Year == 2022) * 7, rows.Count);
        foreach (var row in rows)
        {
            var agency = row!["agency"]!.GetValue<string>();
            Applicants.TryParse(row["applicant"]!.GetValue<string>(), out var applicant);
            var group = reports.Where(r => r.Agency == agency && r.Year == 2022).ToArray();
            var before = reports.Where(r => r.Agency == agency && r.Year == 2021).ToArray();
            Assert.Equal(Expected(group, metric, applicant), Actual(row, metric));
            Assert.Equal(ExpectedComparison(group, before, metric, applicant), ActualComparison(row, metric));
        }
    }

    [Fact]
    public async Task A_group_with_reports_of_both_editions_does_not_compare_one_edition_metrics_and_only_blanks_have_no_change()
    {
        const string mixedSector = "education";
        var admin = api.Admin();
        var late = Http.Unique("late");   // still used the 2019 template for 2021
        var prompt = Http.Unique("prompt");
        await admin.RegisterAgency(late, "654202", mixedSector);
        await admin.RegisterAgency(prompt, "654202", mixedSector);
        async Task Put(string agency, int year, Edition edition, decimal? decisions, decimal? publishedTotal = null)
        {
            var document = new ReportDocument(edition);
            document.Set("proactive.penalty.decisions", null, decisions);
            if (edition == Edition.Edition2019)
            {
                document.Set("proactive.regulations.publishedTotal", null, publishedTotal);
            }
            Assert.Equal(HttpStatusCode.Created, (await admin.PutReport(agency, year, document)).StatusCode);
        }
        await Put(late, 2020, Edition.Edition2019, 10, publishedTotal: 3);
        await Put(late, 2021, Edition.Edition2019, 15, publishedTotal: 5);
        await Put(prompt, 2020, Edition.Edition2019, null, publishedTotal: 4);
        await Put(prompt, 2021, Edition.Edition2021, 4);

        var byYear = (await (await api.Anonymous().GetAsync(
            $"/api/v1/rollups?sector={mixedSector}&metric=proactive.penalty.decisions,proactive.regulations.publishedTotal&groupBy=year&compare=previousYear")).Json())["rows"]!.AsArray();
        var row2021 = byYear.Single(r => r!["year"]!.GetValue<int>() == 2021)!;
        Assert.Equal(5m, row2021["values"]!["proactive.regulations.publishedTotal"]!.GetValue<decimal>());
        Assert.Null(row2021["previous"]!["proactive.regulations.publishedTotal"]);
        Assert.Null(row2021["change"]!["proactive.regulations.publishedTotal"]);
        Assert.Equal((10m, 9m), ActualComparison(row2021, "proactive.penalty.decisions")); // 15 + 4 against 10 + blank

        var byAgency = (await (await api.Anonymous().GetAsync(
            $"/api/v1/rollups?sector={mixedSector}&metric=proactive.penalty.decisions&groupBy=agency&yearFrom=2021&yearTo=2021&compare=previousYear")).Json())["rows"]!.AsArray();
        Assert.Equal((10m, 5m), ActualComparison(byAgency.Single(r => r!["agency"]!.GetValue<string>() == late)!, "proactive.penalty.decisions"));
        Assert.Equal((0m, null), ActualComparison(byAgency.Single(r => r!["agency"]!.GetValue<string>() == prompt)!, "proactive.penalty.decisions"));
    }

    [Theory]
    [InlineData("metric=proactive.penalty.decisions&compare=lastYear", "compare", "previousYear")]
    [InlineData("metric=proactive.penalty.decisions&groupBy=agency&compare=previousYear", "compare", "year")]
    [InlineData("metric=proactive.penalty.decisions&yearFrom=2021&yearTo=2022&compare=previousYear", "compare", "yearFrom = yearTo")]
    [InlineData("", "metric", "at least one metric")]
    [InlineData("metric=proactive.penalty.total", "metric", "proactive.penalty.decisions")]
    [InlineData("metric=proactive.penalty.decisions&groupBy=city", "groupBy", "prefecture")]
    [InlineData("metric=proactive.penalty.decisions&groupBy=applicant", "applicant", "no applicant dimension")]
    [InlineData("metric=applications.granted&applicant=robots", "applicant", "naturalPerson")]
    [InlineData("metric=proactive.penalty.decisions&division=6", "division", "2-, 4- or 6-digit")]
    [InlineData("metric=proactive.penalty.decisions&yearFrom=2023&yearTo=2021", "yearFrom", "after")]
    public async Task An_invalid_rollup_is_400_listing_what_is_valid(string query, string field, string mentions)
    {
        var problem = await (await api.Anonymous().GetAsync($"/api/v1/rollups?{query}")).Problem(HttpStatusCode.BadRequest);

        Assert.Contains(mentions, problem["errors"]![field]![0]!.GetValue<string>());
    }
}
