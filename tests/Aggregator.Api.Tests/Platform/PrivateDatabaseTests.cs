using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Tests.Infrastructure;
using Npgsql;

namespace Aggregator.Api.Tests.Platform;

/// <summary>
/// The private PostgreSQL of an instance started without a connection string: its own folder and port, only its owner let
/// in, never stopping another instance's server, and nothing left running when the start fails. Real processes.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PrivateDatabaseTests : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private readonly string temp = Path.Combine(Path.GetTempPath(), $"aggregator-test-private-{Guid.NewGuid():N}");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(temp);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var folder in Directory.GetDirectories(temp))
        {
            await ApiProcess.RemoveServerFolder(new LocalPostgresFolder(folder));
        }
        Directory.Delete(temp, recursive: true);
    }

    [Fact]
    public async Task Two_instances_started_together_each_run_their_own_server_and_stopping_one_leaves_the_other_serving()
    {
        // No folder configured: each derives its own under TMPDIR from its content root and address.
        var environment = new Dictionary<string, string> { ["TMPDIR"] = temp };
        await using var first = ApiProcess.Start(ApiProcess.FreePort(), "Development", environment);
        await using var second = ApiProcess.Start(ApiProcess.FreePort(), "Development", environment);

        await Task.WhenAll(first.WaitUntilReady(StartTimeout), second.WaitUntilReady(StartTimeout));

        var folders = Directory.GetDirectories(temp, "aggregator-*").Select(f => new LocalPostgresFolder(f)).ToList();
        Assert.Equal(2, folders.Count);
        Assert.All(folders, f => Assert.NotNull(f.LivePostmaster()));
        Assert.DoesNotContain("fail:", first.Output); // a first start on an empty folder logs nothing alarming

        first.Terminate();
        Assert.Equal(0, await first.WaitForExit(ExitTimeout));
        Assert.Single(folders, f => f.LivePostmaster() is not null); // the stopped instance stopped its own server
        Assert.True(await second.IsReady());
    }

    [Fact]
    public async Task An_http_port_already_taken_fails_the_start_with_one_line_naming_it_and_leaves_no_server()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var folder = new LocalPostgresFolder(Path.Combine(temp, "instance"));

        await using var api = ApiProcess.Start(port, "Development", new Dictionary<string, string> { ["Aggregator__LocalPostgresDirectory"] = folder.Path });

        Assert.NotEqual(0, await api.WaitForExit(ExitTimeout));
        var line = Assert.Single(api.ErrorLines);
        Assert.Contains($"127.0.0.1:{port}", line);
        Assert.DoesNotContain("   at ", api.Output); // no stack trace on stdout either
        Assert.True(File.Exists(Path.Combine(folder.DataDirectory, "PG_VERSION"))); // the server was set up and started…
        Assert.Null(folder.LivePostmaster()); // …and stopped again
        Assert.False(File.Exists(Path.Combine(folder.DataDirectory, "postmaster.pid")));
    }

    [Fact]
    public async Task Production_without_a_connection_string_fails_naming_the_setting_and_starts_no_server()
    {
        await using var api = ApiProcess.Start(ApiProcess.FreePort(), "Production", new Dictionary<string, string> { ["TMPDIR"] = temp });

        Assert.NotEqual(0, await api.WaitForExit(ExitTimeout));
        Assert.Contains("ConnectionStrings:Aggregator", Assert.Single(api.ErrorLines));
        Assert.Empty(Directory.GetDirectories(temp));
    }

    [Fact]
    public async Task The_private_server_lets_in_only_its_owner()
    {
        await using var server = await LocalPostgres.StartAsync(new LocalPostgresFolder(Path.Combine(temp, "server")), "postgres", durable: false);
        var folder = server.Folder;
        var owner = new NpgsqlConnectionStringBuilder(server.ConnectionString);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.PasswordFile));
        Assert.Equal(owner.Password, (await File.ReadAllTextAsync(folder.PasswordFile)).Trim());
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(folder.Path));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(folder.SocketDirectory));

        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            Assert.Equal("127.0.0.1", await new NpgsqlCommand("SHOW listen_addresses", connection).ExecuteScalarAsync());
            Assert.Equal("scram-sha-256", await new NpgsqlCommand("SHOW password_encryption", connection).ExecuteScalarAsync());
        }
        var wrongPassword = await Assert.ThrowsAsync<PostgresException>(() => Open(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = "guess" }));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, wrongPassword.SqlState);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => Open(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = null }));
        var overSocket = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Host = folder.SocketDirectory };
        await Open(overSocket);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => Open(new NpgsqlConnectionStringBuilder(overSocket.ConnectionString) { Password = null }));
    }

    [Fact]
    public async Task A_folder_whose_server_runs_is_refused_and_that_server_keeps_running()
    {
        var folder = new LocalPostgresFolder(Path.Combine(temp, "shared"));
        await using var owner = await LocalPostgres.StartAsync(folder, "postgres", durable: false);
        var running = folder.LivePostmaster();

        var refusal = await Assert.ThrowsAsync<StartupFailure>(() => LocalPostgres.StartAsync(folder, "postgres", durable: false));

        Assert.Contains("in use by another instance", refusal.Message);
        Assert.Equal(running, folder.LivePostmaster());
        await Open(new NpgsqlConnectionStringBuilder(owner.ConnectionString));
    }

    [Fact]
    public async Task A_restart_on_the_same_folder_keeps_the_data_and_clears_the_pid_file_of_a_dead_server()
    {
        var folder = new LocalPostgresFolder(Path.Combine(temp, "restarted"));
        await using (var server = await LocalPostgres.StartAsync(folder, "postgres", durable: false))
        {
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync();
            await new NpgsqlCommand("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')", connection).ExecuteNonQueryAsync();
        }
        using (var dead = Process.Start("true"))
        {
            await dead.WaitForExitAsync();
            await File.WriteAllTextAsync(Path.Combine(folder.DataDirectory, "postmaster.pid"), $"{dead.Id}\n{folder.DataDirectory}\n0\n5432\n");
        }

        await using var restarted = await LocalPostgres.StartAsync(folder, "postgres", durable: false);

        await using var again = new NpgsqlConnection(restarted.ConnectionString);
        await again.OpenAsync();
        Assert.Equal("still here", await new NpgsqlCommand("SELECT note FROM kept", again).ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_restart_after_its_postmaster_is_killed_waits_for_the_busy_backend_it_left_and_keeps_what_was_committed()
    {
        var folder = new LocalPostgresFolder(Path.Combine(temp, "killed"));
        await using var server = await LocalPostgres.StartAsync(folder, "postgres", durable: true);
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('committed before the kill')", connection).ExecuteNonQueryAsync();
        }
        // A statement that never waits: its backend notices that the postmaster is gone only once it is done.
        var busy = new NpgsqlConnection(connectionString);
        await busy.OpenAsync();
        var running = new NpgsqlCommand("DO $$ BEGIN WHILE clock_timestamp() < now() + interval '3 s' LOOP END LOOP; END $$", busy).ExecuteNonQueryAsync();
        await using (var watcher = new NpgsqlConnection(connectionString))
        {
            await watcher.OpenAsync();
            var deadline = Stopwatch.StartNew();
            while ((long)(await new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'DO %'", watcher).ExecuteScalarAsync())! == 0)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "The busy statement did not start.");
                await Task.Delay(20);
            }
        }

        Process.GetProcessById(folder.LivePostmaster()!.ProcessId).Kill(); // SIGKILL
        for (var dead = Stopwatch.StartNew(); folder.LivePostmaster() is not null; await Task.Delay(10))
        {
            Assert.True(dead.Elapsed < TimeSpan.FromSeconds(10), "The postmaster outlived SIGKILL.");
        }
        var left = folder.ProcessesLeftByDeadServer();
        await server.RestartAsync();

        Assert.True(left > 0, "The killed server left no process holding its shared memory: the case was not exercised.");
        Assert.Equal(0, folder.ProcessesLeftByDeadServer());
        await using var again = new NpgsqlConnection(connectionString);
        await again.OpenAsync();
        Assert.Equal("committed before the kill", await new NpgsqlCommand("SELECT note FROM kept", again).ExecuteScalarAsync());
        try
        {
            await running; // the backend finished it, and may have answered before it ended
            await busy.DisposeAsync();
        }
        catch (NpgsqlException)
        {
            // the connection was lost with the server
        }
    }

    [Fact]
    public async Task A_restart_clears_the_lock_files_of_a_killed_postmaster_that_is_not_reaped_yet()
    {
        var folder = new LocalPostgresFolder(Path.Combine(temp, "unreaped"));
        await using var server = await LocalPostgres.StartAsync(folder, "postgres", durable: false);
        var port = new NpgsqlConnectionStringBuilder(server.ConnectionString).Port;
        await server.CrashAsync();
        // A killed postmaster stays a zombie until it is reaped, and PostgreSQL takes a lock file naming a zombie of its
        // own user for a live server's. A stand-in: a process named postgres, of the server's user, whose parent never waits for it.
        var postgres = Path.Combine(temp, "postgres");
        File.Copy("/bin/true", postgres);
        File.SetUnixFileMode(postgres, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
                                       UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var command = $"'{postgres}' & exec sleep 29.5";
        using var parent = Environment.UserName == "root"
            ? Process.Start("runuser", ["-u", "postgres", "--", "sh", "-c", command])
            : Process.Start("sh", ["-c", command]);
        try
        {
            var zombie = await ZombieUnder("sleep\u000029.5");
            var lockText = $"{zombie}\n{folder.DataDirectory}\n0\n{port}\n{folder.SocketDirectory}\n127.0.0.1\n";
            await File.WriteAllTextAsync(Path.Combine(folder.DataDirectory, "postmaster.pid"), lockText);
            await File.WriteAllTextAsync(Path.Combine(folder.SocketDirectory, $".s.PGSQL.{port}.lock"), lockText);

            await server.RestartAsync();

            await Open(new NpgsqlConnectionStringBuilder(server.ConnectionString));
        }
        finally
        {
            parent.Kill(entireProcessTree: true);
        }
    }

    /// <summary>A zombie named postgres whose parent runs <paramref name="parentCommandLine"/> (arguments separated by NUL).</summary>
    private static async Task<int> ZombieUnder(string parentCommandLine)
    {
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(10); await Task.Delay(20))
        {
            foreach (var process in Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)))
            {
                try
                {
                    // pid (comm) state ppid …
                    var stat = await File.ReadAllTextAsync($"/proc/{process}/stat");
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (fields[0] == "Z" && stat.Contains("(postgres)") &&
                        (await File.ReadAllTextAsync($"/proc/{fields[1]}/cmdline")).StartsWith(parentCommandLine, StringComparison.Ordinal))
                    {
                        return int.Parse(process!, System.Globalization.CultureInfo.InvariantCulture);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
        throw new TimeoutException("No zombie appeared.");
    }

    private static async Task Open(NpgsqlConnectionStringBuilder connectionString)
    {
        connectionString.Pooling = false;
        await using var connection = new NpgsqlConnection(connectionString.ConnectionString);
        await connection.OpenAsync();
    }
}
