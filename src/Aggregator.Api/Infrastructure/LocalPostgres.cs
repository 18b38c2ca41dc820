using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// A private PostgreSQL server run from the machine's own binaries, for machines without Docker: the API uses it
/// when no connection string is configured, and the tests fall back to it. Listens on 127.0.0.1 only, on a free port.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private readonly string binDirectory;
    private readonly string dataDirectory;
    private readonly bool runAsPostgresUser;

    private LocalPostgres(string binDirectory, string dataDirectory, bool runAsPostgresUser, int port, string database)
    {
        this.binDirectory = binDirectory;
        this.dataDirectory = dataDirectory;
        this.runAsPostgresUser = runAsPostgresUser;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = "postgres", Database = database,
        }.ConnectionString;
    }

    public string ConnectionString { get; }

    /// <summary>
    /// Starts a server on <paramref name="dataDirectory"/> (initialised when empty) and makes sure
    /// <paramref name="database"/> exists. <paramref name="durable"/> false trades crash safety for speed (tests).
    /// </summary>
    public static async Task<LocalPostgres> StartAsync(string dataDirectory, string database, bool durable, Action<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        log ??= _ => { };
        var bin = FindBinaries() ?? await InstallBinaries(log, cancellationToken) ?? throw new InvalidOperationException(
            "No PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin and PATH) and they could not be installed. " +
            "Install them (Debian: apt-get install -y postgresql), or set ConnectionStrings:Aggregator to a server you have.");
        var asPostgres = Environment.UserName == "root";
        Directory.CreateDirectory(dataDirectory);
        if (asPostgres)
        {
            await Run("chown", ["-R", "postgres:postgres", dataDirectory], cancellationToken);
        }

        var server = new LocalPostgres(bin, dataDirectory, asPostgres, FreePort(), database);
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            log($"Initialising a private PostgreSQL cluster in {dataDirectory}");
            await server.RunTool("initdb", ["-D", dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-instructions"], cancellationToken);
        }
        else
        {
            // A server left running by an earlier process on the same data: stop it, we pick a new port.
            await server.RunTool("pg_ctl", ["stop", "-D", dataDirectory, "-m", "fast", "-w"], cancellationToken, throwOnFailure: false);
            var stalePid = Path.Combine(dataDirectory, "postmaster.pid");
            if (File.Exists(stalePid))
            {
                await Task.Delay(1500, cancellationToken);
                File.Delete(stalePid);
            }
        }

        var port = new NpgsqlConnectionStringBuilder(server.ConnectionString).Port;
        var settings = $"-p {port} -h 127.0.0.1 -k {dataDirectory} -c max_connections=200" +
                       (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        log($"Starting private PostgreSQL on 127.0.0.1:{port}");
        await server.RunTool("pg_ctl", ["start", "-D", dataDirectory, "-w", "-t", "60", "-l", Path.Combine(dataDirectory, "server.log"), "-o", settings], cancellationToken);

        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        return server;
    }

    public async ValueTask DisposeAsync() =>
        await RunTool("pg_ctl", ["stop", "-D", dataDirectory, "-m", "fast", "-w"], CancellationToken.None, throwOnFailure: false);

    private Task RunTool(string tool, string[] arguments, CancellationToken cancellationToken, bool throwOnFailure = true)
    {
        var executable = Path.Combine(binDirectory, tool);
        return runAsPostgresUser
            ? Run("runuser", ["-u", "postgres", "--", executable, .. arguments], cancellationToken, throwOnFailure)
            : Run(executable, arguments, cancellationToken, throwOnFailure);
    }

    private static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("AGGREGATOR_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }
        var versioned = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return versioned ?? (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static async Task<string?> InstallBinaries(Action<string> log, CancellationToken cancellationToken)
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
        {
            return null;
        }
        log("PostgreSQL binaries not found: installing Debian's postgresql package (apt-get install -y postgresql)");
        try
        {
            await Run("apt-get", ["update", "-qq"], cancellationToken);
            await Run("apt-get", ["install", "-y", "-qq", "postgresql"], cancellationToken);
        }
        catch (InvalidOperationException e)
        {
            log(e.Message);
            return null;
        }
        return FindBinaries();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task Run(string file, IEnumerable<string> arguments, CancellationToken cancellationToken, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 && throwOnFailure)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }
}
