using Aggregator.Api.Infrastructure;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Aggregator.Api.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database for each test host, on one PostgreSQL server per test run, from the first source that
/// works: AGGREGATOR_TEST_DB (a connection string to a server you run), Testcontainers (needs a Docker engine), or a
/// private server from the machine's own PostgreSQL binaries.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly Lazy<Task<Server>> SharedServer = new(StartServerAsync);

    private readonly string serverConnectionString;

    private TestDatabase(string serverConnectionString, string name, string source)
    {
        this.serverConnectionString = serverConnectionString;
        Name = name;
        Source = source;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public string Source { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var server = await SharedServer.Value;
        var name = $"aggregator_test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection).ExecuteNonQueryAsync();
        return new TestDatabase(server.ConnectionString, name, server.Source);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection).ExecuteNonQueryAsync();
    }

    /// <summary>Where the private servers of test runs keep their folders.</summary>
    private static string LocalServersDirectory => Path.Combine(Path.GetTempPath(), "aggregator-test-servers");

    /// <summary>
    /// The test host is killed soon after its last test, often before it has deleted its server's folder (the server is
    /// stopped by then): a later run deletes folders whose server is gone. Only folders an hour old, so a run starting at
    /// the same time keeps its folder.
    /// </summary>
    private static void RemoveFoldersOfEarlierRuns()
    {
        if (!Directory.Exists(LocalServersDirectory))
        {
            return;
        }
        foreach (var path in Directory.GetDirectories(LocalServersDirectory))
        {
            if (Directory.GetLastWriteTimeUtc(path) < DateTime.UtcNow.AddHours(-1) && new LocalPostgresFolder(path).LivePostmaster() is null)
            {
                try
                {
                    Directory.Delete(path, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>A server's maintenance connection string, and how to stop it when the test run ends.</summary>
    private sealed record Server(string ConnectionString, string Source);

    private static async Task<Server> StartServerAsync()
    {
        if (Environment.GetEnvironmentVariable("AGGREGATOR_TEST_DB") is { Length: > 0 } configured)
        {
            return new Server(configured, "AGGREGATOR_TEST_DB");
        }
        var failures = new List<string>();
        try
        {
            var container = new PostgreSqlBuilder("postgres:16-alpine").Build();
            await container.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return new Server(container.GetConnectionString(), "Testcontainers");
        }
        catch (Exception e)
        {
            failures.Add($"Testcontainers: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
        try
        {
            RemoveFoldersOfEarlierRuns();
            var directory = Path.Combine(LocalServersDirectory, Guid.NewGuid().ToString("N"));
            var server = await LocalPostgres.StartAsync(new LocalPostgresFolder(directory), "postgres", durable: false);
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                }
            };
            return new Server(server.ConnectionString, "a private PostgreSQL from local binaries");
        }
        catch (Exception e)
        {
            failures.Add($"Local binaries: {e.Message}");
        }
        throw new InvalidOperationException(
            "The tests need PostgreSQL and found none. Set AGGREGATOR_TEST_DB to a connection string, run a Docker engine, " +
            "or install PostgreSQL's server binaries (Debian: apt-get install -y postgresql).\n" + string.Join("\n", failures));
    }
}
