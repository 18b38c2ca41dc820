using System.Globalization;
using System.Text.Json.Nodes;
using Aggregator.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Aggregator.Dashboard.Tests;

/// <summary>
/// The dashboard in headless chromium against the seeded API: each page's numbers equal the API's JSON for the same
/// query, no page logs a console error or sees a failed request, and each page is saved as a screenshot (in the test
/// output's screenshots/ folder; with AGGREGATOR_UPDATE_SCREENSHOTS=1 the region view and report page are copied to
/// src/Aggregator.Dashboard/screenshots for the README).
/// </summary>
public sealed class DashboardTests(SeededDashboard seeded, ITestOutputHelper output) : IClassFixture<SeededDashboard>
{
    private const string Penalty = "proactive.penalty.decisions";

    [Fact]
    public async Task Region_view_shows_the_penalty_decisions_of_the_prefecture_by_county_and_year_and_the_year_over_year_series_as_the_rollups_answer()
    {
        var page = await WatchedPage.OpenAsync(seeded.Browser, seeded.Address);
        await page.Page.GotoAsync("/dashboard/region/654200");
        await page.Page.WaitForFunctionAsync("() => performance.getEntriesByName('region-rendered').length > 0");
        var firstRender = await page.Page.EvaluateAsync<double>("() => performance.getEntriesByName('region-rendered')[0].startTime");
        output.WriteLine($"Region view (塔城地区) first render: {firstRender:0} ms from navigation start (HTML, bundle, four API calls, charts).");

        // Penalty decisions: every county × year cell the API answers, blank where the API's sum is of blank cells only.
        var penalties = await seeded.GetJson($"/api/v1/rollups?metric={Penalty}&groupBy=county,year&division={SeededDashboard.Prefecture}");
        var shown = await Cells(page.Page, "table[data-table=penalties] td[data-region]", "e => e.dataset.region + '/' + e.dataset.year");
        var rows = penalties["rows"]!.AsArray();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            Assert.Equal(Shown(row!, Penalty), shown[$"{row!["county"]}/{row["year"]}"]);
        }
        Assert.Equal(rows.Count, shown.Count);
        Assert.Contains(rows, r => r!["county"]!.GetValue<string>() == "654203" && r["year"]!.GetValue<int>() == 2022 && r["reports"]!.GetValue<int>() == 1);
        Assert.Equal("", shown["654203/2022"]); // 沙湾市 2022: its one report left the cell blank — blank, not 0

        // Applications received and granted by year, with the change on the year before.
        var applications = await seeded.GetJson(
            $"/api/v1/rollups?metric=applications.newlyReceived&metric=applications.granted&groupBy=year&compare=previousYear&division={SeededDashboard.Prefecture}");
        var values = await Cells(page.Page, "table[data-table=applications] td[data-metric]", "e => e.dataset.metric + '/' + e.dataset.year");
        var changes = await Cells(page.Page, "table[data-table=applications] td[data-change]", "e => e.dataset.change + '/' + e.dataset.year");
        foreach (var row in applications["rows"]!.AsArray())
        {
            foreach (var metric in new[] { "applications.newlyReceived", "applications.granted" })
            {
                Assert.Equal(Shown(row!, metric), values[$"{metric}/{row!["year"]}"]);
                Assert.Equal(Change(row!["change"]?[metric]), changes[$"{metric}/{row["year"]}"]);
            }
        }
        var complaints = await seeded.GetJson(
            $"/api/v1/rollups?metric=applications.notProcessed.petitionComplaint&groupBy=year&compare=previousYear&division={SeededDashboard.Prefecture}");
        var complaintCells = await Cells(page.Page, "table[data-table=complaints] td[data-metric]", "e => e.dataset.year");
        foreach (var row in complaints["rows"]!.AsArray())
        {
            Assert.Equal(Shown(row!, "applications.notProcessed.petitionComplaint"), complaintCells[row!["year"]!.ToString()]);
        }

        await AssertCsvLinksWork(page.Page, expected: 3);
        await Screenshot(page.Page, "region-view.png", copyToRepository: true);
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Completeness_shows_who_is_missing_who_was_late_and_the_reporting_rate_as_the_completeness_answer()
    {
        var page = await WatchedPage.OpenAsync(seeded.Browser, seeded.Address);
        await page.Page.GotoAsync("/dashboard/completeness/654200?year=2024");
        await page.Page.WaitForSelectorAsync("[data-testid=completeness-kpis]");

        var answer = await seeded.GetJson($"/api/v1/completeness?year=2024&division={SeededDashboard.Prefecture}&groupBy=county");
        var groups = answer["groups"]!.AsArray();
        var missing = groups.SelectMany(g => g!["missing"]!.AsArray().Select(a => a!["code"]!.GetValue<string>())).Order().ToArray();
        var late = groups.SelectMany(g => g!["late"]!.AsArray().Select(a => a!["code"]!.GetValue<string>())).Order().ToArray();
        Assert.Equal(["emin-jyj", "wusu-gaj"], missing);
        Assert.Equal(["shawan-fgj"], late);
        Assert.Equal(missing, (await Attributes(page.Page, "tr[data-missing]", "data-missing")).Order());
        Assert.Equal(late, (await Attributes(page.Page, "tr[data-late]", "data-late")).Order());

        var kpis = await Cells(page.Page, "[data-kpi]", "e => e.dataset.kpi", ".kpi-value");
        Assert.Equal(Number(groups.Sum(g => g!["expected"]!.GetValue<int>())), kpis["expected"]);
        Assert.Equal(Number(groups.Sum(g => g!["submitted"]!.GetValue<int>())), kpis["submitted"]);
        Assert.Equal(Number(missing.Length), kpis["missing"]);
        Assert.Equal(Number(late.Length), kpis["late"]);

        var byCounty = await Cells(page.Page, "table[data-table=completeness] tr[data-group]", "e => e.dataset.group", "td:nth-of-type(3)");
        foreach (var group in groups)
        {
            var rate = group!["reportingRate"]?.GetValue<decimal>();
            Assert.Equal(rate is { } r ? (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "", byCounty[group["county"]!.GetValue<string>()]);
        }

        await AssertCsvLinksWork(page.Page, expected: 1);
        await Screenshot(page.Page, "completeness.png");
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Report_quality_ranks_agencies_by_their_findings_and_lists_every_finding_with_its_rule_and_a_link_to_the_report()
    {
        var page = await WatchedPage.OpenAsync(seeded.Browser, seeded.Address);
        await page.Page.GotoAsync("/dashboard/quality/654200");
        await page.Page.WaitForSelectorAsync("table[data-table=findings]");

        var reports = (await seeded.GetJson($"/api/v1/reports?division={SeededDashboard.Prefecture}&hasFindings=true&pageSize=1000"))["items"]!.AsArray();
        var byAgency = reports.GroupBy(r => r!["agency"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Sum(r => r!["findingCount"]!.GetValue<int>()));
        Assert.Equal(["shawan-fgj", "tacheng-szf", "wusu-transport"], byAgency.Keys.Order());
        var shown = await Cells(page.Page, "td[data-findings]", "e => e.dataset.findings");
        Assert.Equal(byAgency.ToDictionary(a => a.Key, a => Number(a.Value)), shown);

        var findings = new List<string>();
        foreach (var report in reports)
        {
            var stored = await seeded.GetJson($"/api/v1/agencies/{report!["agency"]}/reports/{report["year"]}");
            findings.AddRange(stored["findings"]!.AsArray().Select(f => $"{report["agency"]}/{report["year"]}/{f!["rule"]}/{f["path"]}"));
        }
        Assert.Contains(findings, f => f.Contains("/R4/"));
        Assert.Contains(findings, f => f.Contains("/R2/"));
        Assert.Equal(findings.Order(), (await Attributes(page.Page, "tr[data-finding]", "data-finding")).Order());
        // Each finding shows the cells its rule reads, its own among them.
        var ownCells = await page.Page.EvalOnSelectorAllAsync<int[]>("tr[data-finding]", "rows => rows.map(r => r.querySelectorAll('li[data-cell].at').length)");
        Assert.All(ownCells, count => Assert.Equal(1, count));
        var links = await Attributes(page.Page, "tr[data-finding] a", "href");
        Assert.All(links, href => Assert.StartsWith("/dashboard/report/", href));

        await AssertCsvLinksWork(page.Page, expected: 1);
        await Screenshot(page.Page, "quality.png");
        page.AssertNoProblems();
    }

    [Fact]
    public async Task Report_page_shows_every_cell_of_the_template_the_findings_and_the_cells_each_correction_changed_as_stored()
    {
        var page = await WatchedPage.OpenAsync(seeded.Browser, seeded.Address);
        foreach (var (agency, year) in new[] { ("shawan-fgj", 2024), ("tacheng-transport", 2020), ("tacheng-transport", 2023) })
        {
            await page.Page.GotoAsync($"/dashboard/report/{agency}/{year}");
            await page.Page.WaitForSelectorAsync("table[data-table=revisions]");
            var report = await seeded.GetJson($"/api/v1/agencies/{agency}/reports/{year}");
            var cells = await Cells(page.Page, "td[data-path]", "e => e.dataset.path");
            var expected = Leaves(report["document"]!, "").Where(l => l.Path.Split('.')[0] is "proactive" or "applications" or "appeals").ToArray();
            Assert.NotEmpty(expected);
            foreach (var (path, value) in expected)
            {
                Assert.True(cells.TryGetValue(path, out var text), $"{agency} {year}: the page has no cell {path}");
                Assert.True(Number(value) == text, $"{agency} {year} {path}: shown '{text}', stored '{value?.ToJsonString() ?? "null"}'");
            }
            Assert.Equal(expected.Length, cells.Count);

            var findings = report["findings"]!.AsArray().Select(f => $"{f!["rule"]}/{f["path"]}").Order().ToArray();
            var shownFindings = await page.Page.EvalOnSelectorAllAsync<string[]>("ul.findings > li", "els => els.map(e => e.dataset.rule + '/' + e.dataset.path)");
            Assert.Equal(findings, shownFindings.Order());

            var revisions = (await seeded.GetJson($"/api/v1/agencies/{agency}/reports/{year}/revisions")).AsArray();
            Assert.Equal(revisions.Select(r => r!["revision"]!.ToString()), await Attributes(page.Page, "tr[data-revision]", "data-revision"));
            foreach (var revision in revisions.Where(r => r!["revision"]!.GetValue<int>() > 1))
            {
                var diff = await seeded.GetJson($"/api/v1/agencies/{agency}/reports/{year}/revisions/{revision!["revision"]}/diff");
                var changed = await page.Page.EvalOnSelectorAllAsync<string[]>($"tr[data-revision='{revision["revision"]}'] li[data-change]", "els => els.map(e => e.dataset.change)");
                Assert.Equal(diff["changes"]!.AsArray().Select(c => c!["path"]!.GetValue<string>()), changed);
                Assert.Contains(Penalty, changed);
            }
            if (agency == "shawan-fgj")
            {
                Assert.Contains("R1/applications.totalHandled.naturalPerson", findings);
                await Screenshot(page.Page, "report-page.png", copyToRepository: true);
            }
        }
        page.AssertNoProblems();
    }

    [Fact]
    public async Task A_key_pasted_on_the_key_page_stays_in_the_tab_session_and_goes_with_every_API_request_as_a_header()
    {
        var page = await WatchedPage.OpenAsync(seeded.Browser, seeded.Address);
        await page.Page.GotoAsync("/dashboard/key");
        await page.Page.FillAsync("input[name=apiKey]", SeededDashboard.AdminKey);
        await page.Page.ClickAsync("button[type=submit]");
        await page.Page.WaitForFunctionAsync("() => document.querySelector('[data-testid=key-status]').textContent.includes('密钥可用')");
        Assert.Equal(SeededDashboard.AdminKey, await page.Page.EvaluateAsync<string>("() => sessionStorage.getItem('aggregator.dashboard.apiKey')"));
        Assert.Equal(0, await page.Page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.Equal("", await page.Page.EvaluateAsync<string>("() => document.cookie"));
        Assert.DoesNotContain(SeededDashboard.AdminKey, page.Page.Url);

        var requests = new List<IRequest>();
        page.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/v1/"))
            {
                lock (requests) requests.Add(request);
            }
        };
        await page.Page.ClickAsync("nav#nav a[href^='/dashboard/region']");
        await page.Page.WaitForFunctionAsync("() => performance.getEntriesByName('region-rendered').length > 0");
        lock (requests)
        {
            Assert.NotEmpty(requests);
            Assert.All(requests, r => Assert.Equal(SeededDashboard.AdminKey, r.Headers.GetValueOrDefault("x-api-key")));
        }
        page.AssertNoProblems();
    }

    /// <summary>A number as the dashboard shows it (zh-CN grouping, up to 6 decimals); blank is the empty string.</summary>
    private static string Number(JsonNode? value) => value is null ? "" : Number(value.GetValue<decimal>());

    private static string Number(decimal value) => value.ToString("#,0.######", CultureInfo.InvariantCulture);

    private static string Change(JsonNode? value) => value is null ? "" : value.GetValue<decimal>() > 0 ? "+" + Number(value) : Number(value);

    /// <summary>A rollup row's value as shown: blank when no report carries it or every cell summed was blank.</summary>
    private static string Shown(JsonNode row, string metric)
    {
        var value = row["values"]?[metric];
        var blanks = row["blanks"]?[metric]?.GetValue<int>() ?? 0;
        return value is null || blanks >= row["reports"]!.GetValue<int>() ? "" : Number(value);
    }

    private static IEnumerable<(string Path, JsonNode? Value)> Leaves(JsonNode node, string prefix) =>
        node is JsonObject row
            ? row.SelectMany(p => p.Value is JsonObject ? Leaves(p.Value, $"{prefix}{p.Key}.") : [($"{prefix}{p.Key}", p.Value)])
            : [];

    private static async Task<Dictionary<string, string>> Cells(IPage page, string selector, string key, string? inner = null) =>
        await page.EvalOnSelectorAllAsync<Dictionary<string, string>>(selector,
            $"(els) => Object.fromEntries(els.map(e => [({key})(e), {(inner is null ? "e" : $"e.querySelector('{inner}')")}.textContent.trim()]))");

    private static async Task<string[]> Attributes(IPage page, string selector, string attribute) =>
        await page.EvalOnSelectorAllAsync<string[]>(selector, $"els => els.map(e => e.getAttribute('{attribute}'))");

    /// <summary>Every CSV link of the page answers the API's CSV (the same query as its chart).</summary>
    private async Task AssertCsvLinksWork(IPage page, int expected)
    {
        var links = await Attributes(page, "a.csv", "href");
        Assert.Equal(expected, links.Length);
        foreach (var href in links)
        {
            var response = await seeded.Anonymous.GetAsync(href);
            Assert.True(response.IsSuccessStatusCode, $"{href}: {(int)response.StatusCode}");
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.True(bytes.Length > 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, $"{href}: not UTF-8 with a BOM");
        }
    }

    private async Task Screenshot(IPage page, string name, bool copyToRepository = false)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        output.WriteLine($"Screenshot: {path}");
        if (copyToRepository && Environment.GetEnvironmentVariable("AGGREGATOR_UPDATE_SCREENSHOTS") == "1")
        {
            var repository = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(repository, "Aggregator.sln")))
            {
                repository = Path.GetDirectoryName(repository) ?? throw new InvalidOperationException("No Aggregator.sln above the test output.");
            }
            var target = Path.Combine(repository, "src", "Aggregator.Dashboard", "screenshots", name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target, overwrite: true);
            output.WriteLine($"Copied to {target}");
        }
    }
}
