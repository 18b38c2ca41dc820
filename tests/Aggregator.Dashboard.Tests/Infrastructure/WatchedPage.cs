using Microsoft.Playwright;
using Aggregator.Tests.Shared;

namespace Aggregator.Dashboard.Tests.Infrastructure;

/// <summary>A page that records what a user would see go wrong: console errors, script errors, failed requests and error answers.</summary>
public sealed class WatchedPage
{
    private readonly List<string> problems = [];

    private WatchedPage(IPage page)
    {
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Add($"console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => Add($"page error: {error}");
        page.RequestFailed += (_, request) => Add($"request failed: {request.Method} {request.Url} ({request.Failure})");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Add($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Problems
    {
        get { lock (problems) { return problems.ToArray(); } }
    }

    public static async Task<WatchedPage> OpenAsync(IBrowser browser, Uri api)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = api.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
        });
        return new WatchedPage(await context.NewPageAsync());
    }

    public void AssertNoProblems() => Assert.True(Problems.Count == 0, "The page had problems:\n" + string.Join("\n", Problems));

    private void Add(string problem)
    {
        lock (problems)
        {
            problems.Add(problem);
        }
    }
}
