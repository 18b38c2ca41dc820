using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Tests;
using Xunit.Abstractions;

namespace Aggregator.Api.Tests.Readme;

/// <summary>
/// The README works as written. Every ```bash block of the repository's README.md runs, in README order, in one bash
/// process (so the variables it defines carry over), with <c>set -euo pipefail</c>: a failing command, a failing pipe or
/// an undefined variable fails the test. The API is a real one on a loopback port, started as <c>dotnet run</c> starts
/// it (Development: sample data, admin key dev-admin-key); <c>http://127.0.0.1:5080</c> in the blocks becomes its
/// address. <c>curl</c> is a bash function that records each call's HTTP status with the script line it came from;
/// each README curl must answer 2xx, or the status its last line's trailing comment <c># → NNN</c> names.
/// <para>
/// What does not run: blocks of any other language. The README marks commands that start processes or delete data
/// (<c>dotnet run</c>, <c>dotnet test</c>, the command line importer, resetting the database) ```sh; a curl in such a
/// block fails the test. The working directory is a fresh temporary folder holding a link to the repository's
/// <c>openapi</c> folder, so <c>@openapi/examples/…</c> resolves as from the repository root while the files the
/// examples download (<c>-o tacheng-….csv</c>) do not land in the repository.
/// </para>
/// </summary>
public sealed partial class ReadmeExamplesTests(ITestOutputHelper output)
{
    private const string DocumentedAddress = "http://127.0.0.1:5080";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string[] Preamble =>
    [
        "set -euo pipefail",
        """for tool in curl jq; do command -v $tool >/dev/null || { echo "The README's examples need $tool (Debian: apt-get install -y $tool)." >&2; exit 127; }; done""",
        "shopt -s inherit_errexit",
        """trap 'echo "error $? $LINENO" >> "$README_CURL_LOG"' ERR""",
        "curl() {",
        "  local headers status rc=0",
        "  headers=$(mktemp)",
        "  command curl --max-time 30 -D \"$headers\" \"$@\" || rc=$?",
        "  status=$(sed -n 's,^HTTP/[0-9.]* \\([0-9][0-9][0-9]\\).*,\\1,p' \"$headers\" | tail -n 1)", // the last response: after a 100 Continue
        "  rm -f \"$headers\"",
        "  echo \"curl ${BASH_LINENO[0]} ${status:-000} $rc\" >> \"$README_CURL_LOG\"",
        "  return \"$rc\"",
        "}",
    ];

    [Fact]
    public async Task Every_curl_example_of_the_readme_answers_as_the_readme_says()
    {
        var readme = ReadmeScript.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot, "README.md")));
        Assert.True(readme.Errors.Count == 0, string.Join("\n", readme.Errors));
        Assert.Contains(readme.Lines, l => l.Text.Contains($"API={DocumentedAddress}", StringComparison.Ordinal));
        Assert.NotEmpty(readme.Curls);

        await using var api = await LiveApi.StartAsync();
        var address = api.Address.GetLeftPart(UriPartial.Authority);
        var (script, readmeLines) = readme.Build(Preamble, line => line.Replace(DocumentedAddress, address, StringComparison.Ordinal));
        var run = await RunBash(script);

        var calls = run.Log.Where(l => l[0] == "curl")
            .Select(l => (Line: readmeLines[int.Parse(l[1], CultureInfo.InvariantCulture)], Status: int.Parse(l[2], CultureInfo.InvariantCulture), Exit: l[3]))
            .ToList();
        // bash names the line of a shell error (an unset variable, say) in the script: name the README's instead.
        var stderr = ScriptLine().Replace(run.Stderr, m => $"README.md line {readmeLines[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)]}");
        var problems = new List<string>();
        if (run.ExitCode != 0)
        {
            var failed = run.Log.Where(l => l[0] == "error").Select(l => $"README line {readmeLines[int.Parse(l[2], CultureInfo.InvariantCulture)]} failed with exit code {l[1]}");
            problems.Add($"The commands stopped (exit code {run.ExitCode}): {string.Join("; ", failed.DefaultIfEmpty(LastLine(stderr)))}");
        }
        var table = new StringBuilder($"{"line",5}  {"expected",8}  {"status",6}  command\n");
        var ran = 0;
        foreach (var example in readme.Curls)
        {
            var made = calls.Where(c => c.Line >= example.FirstLine && c.Line <= example.LastLine).ToList();
            calls.RemoveAll(made.Contains);
            ran += made.Count > 0 ? 1 : 0;
            var status = made.Count switch { 0 => "—", 1 => made[0].Status.ToString(CultureInfo.InvariantCulture), _ => "many" };
            table.Append(CultureInfo.InvariantCulture, $"{example.FirstLine,5}  {example.Expectation,8}  {status,6}  {Shorten(example.Text)}\n");
            var problem = made switch
            {
                [] when run.ExitCode != 0 => null, // not reached: the stop is reported above
                [] => "did not run",
                [{ Exit: not "0" } call] => $"curl exited with {call.Exit}",
                [var call] when !example.Accepts(call.Status) => $"answered {call.Status}, expected {example.Expectation}",
                [_] => null,
                _ => $"ran {made.Count} times, expected once",
            };
            if (problem is not null)
            {
                problems.Add($"README line {example.FirstLine}: {problem}: {Shorten(example.Text)}");
            }
        }
        problems.AddRange(calls.Select(c => $"README line {c.Line}: a curl call the test did not find among the README's commands"));
        table.Append(CultureInfo.InvariantCulture, $"{ran} of {readme.Curls.Count} curl examples ran against {address}.\n");
        output.WriteLine(table.ToString());

        Assert.True(problems.Count == 0,
            $"{string.Join("\n", problems)}\n\n{table}\nstderr:\n{Tail(stderr)}\nstdout:\n{Tail(run.Stdout)}");
    }

    [Theory]
    [InlineData("report-edition-2019.json", "wusu-transport-2020")]
    [InlineData("report-edition-2021.json", "pingtan-2021")]
    public void An_example_document_is_its_fixture_document(string example, string fixture)
    {
        var shipped = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "openapi", "examples", example)));

        Assert.True(JsonNode.DeepEquals(ReportFixtures.Expected(fixture)["document"], shipped), $"openapi/examples/{example} differs from the fixture {fixture}.");
    }

    [Theory]
    [InlineData("wusu-transport-2020.txt")]
    [InlineData("shuyang-fgj-2023.html")]
    [InlineData("shuyang-fgj-2023.pdf")]
    [InlineData("shuyang-fgj-2023.docx")]
    public void An_example_page_is_its_fixture(string name) =>
        Assert.Equal(File.ReadAllBytes(Path.Combine(ReportFixtures.Folder, name)), File.ReadAllBytes(Path.Combine(RepositoryRoot, "openapi", "examples", name)));

    private sealed record Run(int ExitCode, string Stdout, string Stderr, List<string[]> Log);

    private static async Task<Run> RunBash(string script)
    {
        var folder = Directory.CreateTempSubdirectory("aggregator-readme-");
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(folder.FullName, "openapi"), Path.Combine(RepositoryRoot, "openapi"));
            var scriptPath = Path.Combine(folder.FullName, "readme.sh");
            var logPath = Path.Combine(folder.FullName, "curl.log");
            await File.WriteAllTextAsync(scriptPath, script);
            await File.WriteAllTextAsync(logPath, "");
            var start = new ProcessStartInfo("bash") { WorkingDirectory = folder.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("--noprofile");
            start.ArgumentList.Add("--norc");
            start.ArgumentList.Add(scriptPath);
            start.Environment["README_CURL_LOG"] = logPath;
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The README's commands did not finish within {Timeout.TotalSeconds} s.\n{Tail(await stderr)}");
            }
            var log = (await File.ReadAllLinesAsync(logPath)).Select(l => l.Split(' ')).ToList();
            return new Run(process.ExitCode, await stdout, await stderr, log);
        }
        finally
        {
            var link = new DirectoryInfo(Path.Combine(folder.FullName, "openapi"));
            if (link.LinkTarget is not null)
            {
                File.Delete(link.FullName); // unlink: the link only, never what it points to
            }
            folder.Delete(recursive: true);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Aggregator.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No Aggregator.sln above {AppContext.BaseDirectory}.");
    }

    private static string Shorten(string command)
    {
        var text = Whitespace().Replace(command, " ");
        return text.Length <= 110 ? text : text[..107] + "…";
    }

    [GeneratedRegex(@"\S*readme\.sh: line (\d+)")]
    private static partial Regex ScriptLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private static string LastLine(string text) => text.TrimEnd().Split('\n')[^1];

    private static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
}
