using Aggregator.Api.Infrastructure;
using Npgsql;

namespace Aggregator.Api.Tests.Infrastructure;

/// <summary>
/// A primary from the machine's binaries and a streaming standby of it (<c>pg_basebackup -R</c>: a base backup that
/// starts as a hot standby following the primary), each on its own loopback port, stopped and deleted on dispose.
/// </summary>
public sealed class StreamingStandby : IAsyncDisposable
{
    private readonly string folder;
    private readonly LocalPostgresFolder primaryFolder;

    private StreamingStandby(string folder, LocalPostgresFolder primaryFolder, LocalPostgres primary, string standbyConnectionString)
    {
        this.folder = folder;
        this.primaryFolder = primaryFolder;
        Primary = primary;
        StandbyConnectionString = standbyConnectionString;
    }

    public LocalPostgres Primary { get; }

    public string PrimaryConnectionString => Primary.ConnectionString;

    public string StandbyConnectionString { get; }

    private string StandbyData => Path.Combine(folder, "standby");

    public static async Task<StreamingStandby> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"aggregator-test-replica-{Guid.NewGuid():N}");
        var primaryFolder = new LocalPostgresFolder(Path.Combine(folder, "primary"));
        var primary = await LocalPostgres.StartAsync(primaryFolder, "aggregator", durable: false);
        var source = new NpgsqlConnectionStringBuilder(primary.ConnectionString);
        var port = ApiProcess.FreePort();
        var standby = Path.Combine(folder, "standby");
        var socket = Path.Combine(folder, "standby-socket");
        Directory.CreateDirectory(socket);
        if (PostgresTools.AsPostgresUser)
        {
            await PostgresTools.RunAsync("chown", ["postgres:postgres", folder, socket]);
        }
        await PostgresTools.RunAsync("pg_basebackup",
            ["-D", standby, "-R", "-X", "stream", "-c", "fast",
             "-d", $"host=127.0.0.1 port={source.Port} user={source.Username} password={source.Password}"], asServerUser: true);
        var log = Path.Combine(folder, "standby.log");
        try
        {
            await PostgresTools.RunAsync("pg_ctl",
                ["start", "-D", standby, "-w", "-t", "60", "-l", log, "-o", $"-p {port} -h 127.0.0.1 -k '{socket}' -c hot_standby=on -c max_connections=200"], asServerUser: true);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new InvalidOperationException($"The standby did not start: {(File.Exists(log) ? File.ReadAllText(log) : e.Message)}", e);
        }
        var connection = new NpgsqlConnectionStringBuilder(primary.ConnectionString) { Port = port }.ConnectionString;
        return new StreamingStandby(folder, primaryFolder, primary, connection);
    }

    /// <summary>Whether the server of a connection string is in recovery (a standby).</summary>
    public static async Task<bool> InRecoveryAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_is_in_recovery()", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await PostgresTools.RunAsync("pg_ctl", ["stop", "-D", StandbyData, "-m", "immediate", "-w", "-t", "30"], asServerUser: true);
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException)
        {
        }
        await Primary.DisposeAsync();
        await ApiProcess.RemoveServerFolder(primaryFolder);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
