using Aggregator.Api.Infrastructure;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Aggregator.Api.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL database for the tests, from the first source that works: AGGREGATOR_TEST_DB (a connection
/// string to a server you run; a fresh database is created on it and dropped after), Testcontainers (needs a Docker
/// engine), or a private server from the machine's own PostgreSQL binaries.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly Func<ValueTask> dispose;

    private TestDatabase(string connectionString, string source, Func<ValueTask> dispose)
    {
        ConnectionString = connectionString;
        Source = source;
        this.dispose = dispose;
    }

    public string ConnectionString { get; }

    public string Source { get; }

    public static async Task<TestDatabase> StartAsync()
    {
        var failures = new List<string>();
        if (Environment.GetEnvironmentVariable("AGGREGATOR_TEST_DB") is { Length: > 0 } configured)
        {
            return await OnServer(configured);
        }
        try
        {
            var container = new PostgreSqlBuilder("postgres:16-alpine").Build();
            await container.StartAsync();
            return new TestDatabase(container.GetConnectionString(), "Testcontainers", container.DisposeAsync);
        }
        catch (Exception e)
        {
            failures.Add($"Testcontainers: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
        try
        {
            var directory = Path.Combine(Path.GetTempPath(), $"aggregator-test-pg-{Guid.NewGuid():N}");
            var server = await LocalPostgres.StartAsync(directory, "aggregator_test", durable: false);
            return new TestDatabase(server.ConnectionString, "private PostgreSQL from local binaries", async () =>
            {
                await server.DisposeAsync();
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                }
            });
        }
        catch (Exception e)
        {
            failures.Add($"Local binaries: {e.Message}");
        }
        throw new InvalidOperationException(
            "The tests need PostgreSQL and found none. Set AGGREGATOR_TEST_DB to a connection string, run a Docker engine, " +
            "or install PostgreSQL's server binaries (Debian: apt-get install -y postgresql).\n" + string.Join("\n", failures));
    }

    private static async Task<TestDatabase> OnServer(string serverConnectionString)
    {
        var name = $"aggregator_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(serverConnectionString))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection).ExecuteNonQueryAsync();
        }
        var database = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
        return new TestDatabase(database, "AGGREGATOR_TEST_DB", async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(serverConnectionString);
            await connection.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection).ExecuteNonQueryAsync();
        });
    }

    public ValueTask DisposeAsync() => dispose();
}
