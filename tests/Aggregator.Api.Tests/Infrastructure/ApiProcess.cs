using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Aggregator.Api.Infrastructure;

namespace Aggregator.Api.Tests.Infrastructure;

/// <summary>
/// The built API run as a real process (<c>dotnet Aggregator.Api.dll --urls http://127.0.0.1:port</c>), for what only a
/// process shows: its exit code, its stderr, the private PostgreSQL it starts and stops. Disposing kills it if it still runs.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigQuit = 3;
    private const int SigKill = 9;

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder error = new();

    private ApiProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The CPU time the process has used so far.</summary>
    public TimeSpan ProcessorTime => process.TotalProcessorTime;

    /// <summary>
    /// What the scheduler says of the process's threads (those alive now): how long they ran, and how long they waited,
    /// runnable, for a CPU (<c>/proc/&lt;pid&gt;/task/*/schedstat</c>); null where the kernel does not say.
    /// </summary>
    public (TimeSpan Ran, TimeSpan Waited)? SchedulerTimes()
    {
        long ran = 0, waited = 0;
        try
        {
            foreach (var task in Directory.GetDirectories($"/proc/{process.Id}/task"))
            {
                try
                {
                    var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                    ran += long.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture);
                    waited += long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) // a thread that just ended
                {
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
        return (TimeSpan.FromTicks(ran / 100), TimeSpan.FromTicks(waited / 100));
    }

    /// <summary>The most memory the running process has held resident so far (Linux: VmHWM), in bytes.</summary>
    public long PeakWorkingSet
    {
        get
        {
            process.Refresh();
            return process.PeakWorkingSet64;
        }
    }

    public string Output
    {
        get { lock (output) { return output.ToString(); } }
    }

    /// <summary>The non-empty lines the process wrote to stderr.</summary>
    public string[] ErrorLines
    {
        get { lock (error) { return error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); } }
    }

    /// <summary>
    /// Starts the API on <paramref name="port"/> in <paramref name="environmentName"/>, without sample data and without any
    /// connection string or address inherited from the test run; <paramref name="environment"/> adds or overrides variables.
    /// </summary>
    /// <param name="command">A command of the API's executable instead of the service (e.g. rebuild-rollups).</param>
    /// <param name="workingDirectory">Where the process starts; by default the folder of the executable.</param>
    public static ApiProcess Start(int port, string environmentName, IReadOnlyDictionary<string, string> environment, string? command = null,
        string? workingDirectory = null)
    {
        var dll = typeof(Program).Assembly.Location;
        var start = StartInfo(dll, workingDirectory ?? Path.GetDirectoryName(dll)!);
        if (command is not null)
        {
            start.ArgumentList.Add(command);
        }
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var inherited in new[] { "ConnectionStrings__Aggregator", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "DOTNET_URLS", "DOTNET_ENVIRONMENT",
                     "Aggregator__LocalPostgresDirectory" })
        {
            start.Environment.Remove(inherited);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environmentName;
        start.Environment["Aggregator__LoadSampleData"] = "false";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Launch(start, port);
    }

    /// <summary>
    /// Starts a published API as a container would: <c>dotnet DLL</c> in its folder with exactly the given environment
    /// on top of the test run's (no <c>--urls</c>: the environment says where it listens), on loopback port <paramref name="port"/>.
    /// </summary>
    public static ApiProcess StartPublished(string dll, IReadOnlyDictionary<string, string> environment, int port)
    {
        var start = StartInfo(dll, Path.GetDirectoryName(dll)!);
        foreach (var inherited in new[] { "ConnectionStrings__Aggregator", "ASPNETCORE_URLS", "DOTNET_URLS", "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT" })
        {
            start.Environment.Remove(inherited);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return Launch(start, port);
    }

    private static ProcessStartInfo StartInfo(string dll, string workingDirectory) =>
        new(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { dll },
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };

    private static ApiProcess Launch(ProcessStartInfo start, int port)
    {
        var process = new Process { StartInfo = start };
        var api = new ApiProcess(process, port);
        process.OutputDataReceived += (_, line) => api.Append(api.output, line.Data);
        process.ErrorDataReceived += (_, line) => api.Append(api.error, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return api;
    }

    /// <summary>A port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <c>GET /health/ready</c> until it answers 200; fails when the process exits or the time is up.</summary>
    public async Task WaitUntilReady(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The API on port {Port} exited with {process.ExitCode} before it was ready: {string.Join(" | ", ErrorLines)}\n{Output}");
            }
            if (await IsReady(client))
            {
                return;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The API on port {Port} was not ready within {timeout}:\n{Output}");
    }

    public async Task<bool> IsReady()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await IsReady(client);
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> WaitForExit(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancellation.Token);
        process.WaitForExit(); // drains the redirected output
        return process.ExitCode;
    }

    /// <summary>Sends SIGTERM, what a service manager sends to stop the service.</summary>
    public void Terminate()
    {
        if (!Signal(process.Id, SigTerm))
        {
            throw new InvalidOperationException($"Could not send SIGTERM to {process.Id}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>
    /// Sends SIGKILL, what <c>kill -9</c> or the OOM killer does: no shutdown, requests in flight cut off, transactions
    /// open on the database rolled back by it. Returns once the process is gone.
    /// </summary>
    public async Task KillAsync()
    {
        if (!Signal(process.Id, SigKill))
        {
            throw new InvalidOperationException($"Could not send SIGKILL to {process.Id}: errno {Marshal.GetLastPInvokeError()}");
        }
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    /// <summary>
    /// Stops (immediate shutdown) a server still running on <paramref name="folder"/>, one a failed test left behind, and
    /// deletes the folder.
    /// </summary>
    public static async Task RemoveServerFolder(LocalPostgresFolder folder)
    {
        if (folder.LivePostmaster() is { } postmaster)
        {
            Signal(postmaster.ProcessId, SigQuit); // it may have ended meanwhile: then there is nothing to stop
            for (var wait = 0; wait < 100 && folder.LivePostmaster() is not null; wait++)
            {
                await Task.Delay(100);
            }
        }
        if (Directory.Exists(folder.Path))
        {
            Directory.Delete(folder.Path, recursive: true);
        }
    }

    private async Task<bool> IsReady(HttpClient client)
    {
        try
        {
            return (await client.GetAsync($"http://127.0.0.1:{Port}/health/ready")).StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (text)
        {
            text.AppendLine(line);
        }
    }

    private static bool Signal(int processId, int signal) => Kill(processId, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int processId, int signal);
}
