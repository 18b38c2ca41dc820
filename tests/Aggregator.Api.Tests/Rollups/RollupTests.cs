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

    private async Task<JsonArray> Rollup(string query)
    {
        var response = await api.Anonymous().GetAsync($"/api/v1/rollups?sector={sector}&{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Json())["rows"]!.AsArray();
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

    [Theory]
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
