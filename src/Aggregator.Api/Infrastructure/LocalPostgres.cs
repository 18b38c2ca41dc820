using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Npgsql;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// A private PostgreSQL server run from the machine's own binaries, for machines without Docker: the API uses it in
/// Development and Testing when no connection string is configured, and the tests fall back to it. It belongs to the one
/// process that started it: password authentication (scram-sha-256) with a generated password, TCP on 127.0.0.1 only (a
/// free port), the unix socket inside its 0700 folder. It never stops a server it did not start.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private const string Superuser = "postgres";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>How long a start waits for the processes of a killed server to end.</summary>
    private static readonly TimeSpan DeadServerTimeout = TimeSpan.FromSeconds(30);

    private readonly string binDirectory;
    private readonly bool runAsPostgresUser;
    private readonly int port;
    private bool durable;
    private bool stopped;

    private LocalPostgres(string binDirectory, LocalPostgresFolder folder, bool runAsPostgresUser, int port, string password, string database)
    {
        this.binDirectory = binDirectory;
        this.runAsPostgresUser = runAsPostgresUser;
        this.port = port;
        Folder = folder;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = port, Username = Superuser, Password = password, Database = database,
        }.ConnectionString;
    }

    public LocalPostgresFolder Folder { get; }

    public string ConnectionString { get; }

    /// <summary>
    /// Starts a server on <paramref name="folder"/> (initialised when empty) and makes sure <paramref name="database"/> exists.
    /// <paramref name="durable"/> false trades crash safety for speed (tests). Throws <see cref="StartupFailure"/> when the
    /// binaries are missing, another instance runs a server on the folder, or the server does not start; nothing is left running then.
    /// </summary>
    public static async Task<LocalPostgres> StartAsync(LocalPostgresFolder folder, string database, bool durable, Action<string>? log = null,
        CancellationToken cancellationToken = default)
    {
        log ??= _ => { };
        if (!OperatingSystem.IsLinux())
        {
            throw new StartupFailure("The private PostgreSQL runs on Linux only (it reads /proc): set ConnectionStrings:Aggregator to a server you have.");
        }
        var configuredBin = Environment.GetEnvironmentVariable("AGGREGATOR_PG_BIN");
        var bin = FindBinaries(configuredBin) ?? throw new StartupFailure(
            (string.IsNullOrEmpty(configuredBin)
                ? "No PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin and PATH): "
                : $"AGGREGATOR_PG_BIN ({configuredBin}) holds no initdb and pg_ctl: ") +
            "install them (Debian: apt-get install -y postgresql), or set ConnectionStrings:Aggregator to a server you have.");
        if (File.Exists(Path.Combine(folder.Path, "PG_VERSION")))
        {
            throw new StartupFailure($"{folder.Path} holds a private PostgreSQL of an earlier layout (no password): delete the folder to start afresh.");
        }
        if (folder.LivePostmaster() is { } other)
        {
            throw new StartupFailure($"The private PostgreSQL folder {folder.Path} is in use by another instance (postmaster pid {other.ProcessId}, " +
                                     $"port {other.Port}): stop that instance, or give this one its own folder with Aggregator:LocalPostgresDirectory " +
                                     $"(a server left behind by a killed instance stops with: pg_ctl stop -D {folder.DataDirectory}, as its owner).");
        }
        await WaitForDeadServer(folder, log, cancellationToken);
        folder.RemoveStaleLockFiles();

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(folder.Path))!); // parents as usual: the postgres user passes through them
        Directory.CreateDirectory(folder.Path, OwnerOnly);
        File.SetUnixFileMode(folder.Path, OwnerOnly);
        Directory.CreateDirectory(folder.SocketDirectory, OwnerOnly);
        File.SetUnixFileMode(folder.SocketDirectory, OwnerOnly);
        var initialised = File.Exists(Path.Combine(folder.DataDirectory, "PG_VERSION"));
        if (!initialised)
        {
            if (Directory.Exists(folder.DataDirectory))
            {
                Directory.Delete(folder.DataDirectory, recursive: true); // what an interrupted initdb left: initdb wants an empty folder
            }
            await WritePasswordFile(folder.PasswordFile, cancellationToken);
        }
        var password = File.Exists(folder.PasswordFile)
            ? (await File.ReadAllTextAsync(folder.PasswordFile, cancellationToken)).Trim()
            : throw new StartupFailure($"The password file {folder.PasswordFile} of the private PostgreSQL is missing: delete {folder.Path} to start afresh.");

        // initdb and postgres refuse to run as root: as root, the folder belongs to the postgres user (root still reads the password).
        var asPostgres = Environment.UserName == "root";
        if (asPostgres)
        {
            await Run("chown", ["-R", $"{Superuser}:{Superuser}", folder.Path], cancellationToken);
        }
        var server = new LocalPostgres(bin, folder, asPostgres, FreePort(), password, database) { durable = durable };
        if (!initialised)
        {
            log($"Initialising a private PostgreSQL cluster in {folder.DataDirectory}");
            await server.RunTool("initdb", ["-D", folder.DataDirectory, "-U", Superuser, "--auth=scram-sha-256", $"--pwfile={folder.PasswordFile}",
                "-E", "UTF8", "--no-locale", "--no-instructions"], cancellationToken);
        }

        try
        {
            await server.StartServer(durable, log, cancellationToken);
            await server.CreateDatabase(database, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server, if it is still the one this instance started.</summary>
    public async ValueTask DisposeAsync()
    {
        if (stopped)
        {
            return;
        }
        stopped = true;
        if (Folder.LivePostmaster() is { } postmaster && postmaster.Port == port)
        {
            await RunTool("pg_ctl", ["stop", "-D", Folder.DataDirectory, "-m", "fast", "-w", "-t", "30"], CancellationToken.None, throwOnFailure: false);
        }
    }

    /// <summary>
    /// Stops the server the way a crash does (immediate shutdown: connections cut, no checkpoint, crash recovery at the
    /// next start), for tests of a database outage; <see cref="RestartAsync"/> brings it back on the same port.
    /// </summary>
    public Task CrashAsync() =>
        RunTool("pg_ctl", ["stop", "-D", Folder.DataDirectory, "-m", "immediate", "-w", "-t", "30"], CancellationToken.None);

    /// <summary>
    /// Starts the server again, on the same folder and port, after <see cref="CrashAsync"/> or after its postmaster was
    /// killed (then once the processes it left have let go of its shared memory).
    /// </summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await WaitForDeadServer(Folder, _ => { }, cancellationToken);
        Folder.RemoveStaleLockFiles();
        await StartServer(durable, _ => { }, cancellationToken);
    }

    /// <summary>
    /// After a postmaster was killed (<c>kill -9</c>, the OOM killer) its backends and helpers run on until they notice,
    /// a backend busy with a statement only once it has finished it, and PostgreSQL will not start a new server on the
    /// folder while any of them holds the old shared memory. Waits for them (they are no server any more: nothing to
    /// stop), up to <see cref="DeadServerTimeout"/>, then fails saying so.
    /// </summary>
    private static async Task WaitForDeadServer(LocalPostgresFolder folder, Action<string> log, CancellationToken cancellationToken)
    {
        var left = folder.ProcessesLeftByDeadServer();
        if (left == 0)
        {
            return;
        }
        log($"Waiting for {left} process(es) of a killed PostgreSQL on {folder.DataDirectory} to end");
        var waited = Stopwatch.StartNew();
        while ((left = folder.ProcessesLeftByDeadServer()) > 0)
        {
            if (waited.Elapsed > DeadServerTimeout)
            {
                throw new StartupFailure($"{left} process(es) of a killed PostgreSQL still hold its shared memory after {DeadServerTimeout.TotalSeconds:F0} s, " +
                                         $"so no server can start on {folder.DataDirectory}: end them (postgres processes whose working directory is that folder).");
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    private async Task StartServer(bool durable, Action<string> log, CancellationToken cancellationToken)
    {
        var settings = $"-p {port} -h 127.0.0.1 -k '{Folder.SocketDirectory}' -c unix_socket_permissions=0700 -c max_connections=200" +
                       (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        log($"Starting private PostgreSQL on 127.0.0.1:{port} (folder {Folder.Path}, server log {Folder.LogFile})");
        try
        {
            await RunTool("pg_ctl", ["start", "-D", Folder.DataDirectory, "-w", "-t", "60", "-l", Folder.LogFile, "-o", settings], cancellationToken);
        }
        catch (StartupFailure e)
        {
            throw new StartupFailure($"The private PostgreSQL did not start ({LastLogLine() ?? e.Message}); its log is {Folder.LogFile}.", e);
        }
    }

    private async Task CreateDatabase(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres" }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>A random password in a file only its owner may read, written before anything is in it.</summary>
    [UnsupportedOSPlatform("windows")]
    private static async Task WritePasswordFile(string path, CancellationToken cancellationToken)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        await using var file = new StreamWriter(path, options);
        await file.WriteLineAsync(RandomNumberGenerator.GetHexString(32, lowercase: true).AsMemory(), cancellationToken);
    }

    private string? LastLogLine()
    {
        try
        {
            return File.ReadLines(Folder.LogFile).LastOrDefault(line => line.Contains("FATAL") || line.Contains("ERROR"))?.Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private Task RunTool(string tool, string[] arguments, CancellationToken cancellationToken, bool throwOnFailure = true)
    {
        var executable = Path.Combine(binDirectory, tool);
        return runAsPostgresUser
            ? Run("runuser", ["-u", Superuser, "--", executable, .. arguments], cancellationToken, throwOnFailure)
            : Run(executable, arguments, cancellationToken, throwOnFailure);
    }

    private static string? FindBinaries(string? configured)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(Path.Combine(configured, "initdb")) && File.Exists(Path.Combine(configured, "pg_ctl")) ? configured : null;
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
        using var process = Process.Start(start) ?? throw new StartupFailure($"Could not start {file}.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 && throwOnFailure)
        {
            throw new StartupFailure(StartupFailure.OneLine(
                $"{Path.GetFileName(file)} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {await error} {await output}"));
        }
    }
}
