using Microsoft.Playwright;

namespace Aggregator.Tests.Shared;

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
