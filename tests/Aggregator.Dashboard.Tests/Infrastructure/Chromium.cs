using Microsoft.Playwright;

namespace Aggregator.Dashboard.Tests.Infrastructure;

/// <summary>
/// Debian's chromium driven by Playwright, headless. Playwright's own browser download does not work on these machines,
/// so the test takes the system browser (<c>apt-get install -y chromium fonts-wqy-zenhei</c>; .ci/run installs both).
/// </summary>
public static class Chromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("AGGREGATOR_CHROMIUM") is { Length: > 0 } configured ? configured
        : Candidates.FirstOrDefault(File.Exists)
          ?? throw new InvalidOperationException(
              "The dashboard tests need a Chromium browser and found none at " + string.Join(", ", Candidates) +
              ". Install Debian's: apt-get install -y chromium fonts-wqy-zenhei (or set AGGREGATOR_CHROMIUM to a browser's path).");

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var path = ExecutablePath;
        var playwright = await Playwright.CreateAsync();
        var arguments = new List<string> { "--disable-gpu", "--disable-dev-shm-usage" };
        if (Environment.UserName == "root")
        {
            arguments.Add("--no-sandbox"); // chromium refuses to run as root with its sandbox
        }
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = path, Headless = true, Args = arguments });
        return (playwright, browser);
    }
}

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
