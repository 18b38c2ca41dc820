using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Tests.Shared;
using Microsoft.Playwright;

namespace Aggregator.Scale;

/// <summary>
/// The dashboard's first render of a region view (issue 12: ≤ 1 s on the 10k data set) in headless chromium against
/// the API as loaded: the country, the province and the prefecture with the most reports. Each run is a new browser
/// context (nothing cached: HTML, bundle and the API's answers all fetched), timed from navigation start to the
/// view's <c>region-rendered</c> mark (the charts drawn and the tables filled); then a repeat in the same context
/// (the browser's cache and the API's kept answers warm).
/// </summary>
public static class DashboardCommand
{
    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var address = new Uri(options.Text("api"));
        var runs = (int)options.Number("runs", 10);
        using var http = new HttpClient { BaseAddress = address };
        var reports = (await http.GetFromJsonAsync<JsonObject>("/api/v1/reports?page=1&pageSize=1", ct))!["total"]?.GetValue<int>();
        var regions = new List<(string Name, string Path)> { ("全国 (country)", "/dashboard/region/") };
        foreach (var grouping in new[] { "province", "prefecture" })
        {
            var rollup = await http.GetFromJsonAsync<JsonObject>($"/api/v1/rollups?metric=proactive.penalty.decisions&groupBy={grouping}", ct);
            var top = rollup!["rows"]!.AsArray().OrderByDescending(r => r!["reports"]!.GetValue<int>()).First()!;
            regions.Add(($"{top[$"{grouping}Name"]} ({grouping}, {top["reports"]} reports)", $"/dashboard/region/{top[grouping]}"));
        }

        var (playwright, browser) = await Chromium.LaunchAsync();
        var table = new StringBuilder($"Dashboard region view, first render (ms from navigation start), {reports} reports, {runs} runs each\n\n")
            .AppendLine("| region | cold p50 | cold max | warm p50 | warm max |").AppendLine("|---|---|---|---|---|");
        try
        {
            foreach (var (name, path) in regions)
            {
                var cold = new List<double>();
                var warm = new List<double>();
                for (var run = 0; run < runs; run++)
                {
                    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString() });
                    var page = await context.NewPageAsync();
                    cold.Add(await Render(page, path));
                    warm.Add(await Render(page, path));
                }
                table.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Median(cold):0} | {cold.Max():0} | {Median(warm):0} | {warm.Max():0} |");
            }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
        Console.WriteLine(table);
        if (options.TextOrNull("out") is { } directory)
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, $"dashboard-{reports}.md"), table.ToString(), ct);
        }
        return 0;
    }

    private static async Task<double> Render(IPage page, string path)
    {
        await page.GotoAsync(path);
        await page.WaitForFunctionAsync("() => performance.getEntriesByName('region-rendered').length > 0", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        return await page.EvaluateAsync<double>("() => performance.getEntriesByName('region-rendered')[0].startTime");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
