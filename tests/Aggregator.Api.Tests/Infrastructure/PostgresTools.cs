using System.Diagnostics;

namespace Aggregator.Api.Tests.Infrastructure;

/// <summary>PostgreSQL's programs from the machine's newest server binaries (or PATH): pg_dump, pg_basebackup, pg_ctl.</summary>
public static class PostgresTools
{
    public static string Find(string tool) =>
        (Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin", tool)).Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var major) ? major : 0)
                .FirstOrDefault()
            : null) ?? tool;

    /// <summary>As root the server programs must run as the postgres OS user, as the test servers do.</summary>
    public static bool AsPostgresUser => Environment.UserName == "root";

    /// <summary>Runs a tool (as the postgres user when <paramref name="asServerUser"/> and root), failing with its output.</summary>
    public static async Task RunAsync(string tool, string[] arguments, bool asServerUser = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        var executable = Find(tool);
        var start = asServerUser && AsPostgresUser
            ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", "postgres", "--", executable } }
            : new ProcessStartInfo(executable);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{tool} exited with {process.ExitCode}: {await errors}{await output}");
    }
}
