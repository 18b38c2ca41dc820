using System.Text.RegularExpressions;
using Aggregator.Api.Tests.Infrastructure;
using Npgsql;

namespace Aggregator.Api.Tests.Deploy;

/// <summary>
/// <c>deploy/citus/distribute.sql</c> against the schema the migrations make (no Citus on these machines, so the rules
/// Citus enforces are checked here): every table is placed exactly once — distributed by agency, reference, or on the
/// coordinator — every primary key and unique index of a distributed table holds the distribution column, and every
/// foreign key goes where Citus allows it: between co-located distributed tables on the distribution column, from any
/// table to a reference table, between coordinator tables. And the cluster's compose file is what the README says.
/// </summary>
public sealed class CitusSchemaTests : IAsyncLifetime
{
    private const string DistributionColumn = "agency_id";

    private TestDatabase? database;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        await using var api = new ApiOnDatabase(database.ConnectionString, migrate: true);
        using var ready = await api.Client().GetAsync("/health/ready"); // the host starts, and migrates, on the first request
        Assert.True(ready.IsSuccessStatusCode);
    }

    public async Task DisposeAsync() => await database!.DisposeAsync();

    [Fact]
    public async Task Every_table_is_placed_once_and_its_keys_and_foreign_keys_follow_the_rules_of_its_place()
    {
        var placement = Placement();
        await using var connection = new NpgsqlConnection(database!.ConnectionString);
        await connection.OpenAsync();
        var tables = await Strings(connection, "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')");

        Assert.Equal(tables.Order(StringComparer.Ordinal), placement.Keys.Order(StringComparer.Ordinal));

        var distributed = placement.Where(p => p.Value == Place.Distributed).Select(p => p.Key).ToHashSet();
        foreach (var table in distributed)
        {
            var type = await Strings(connection, $"SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '{table}'::regclass AND attname = '{DistributionColumn}'");
            Assert.True(type is ["bigint"] or ["integer"] or ["uuid"], $"{table} has no {DistributionColumn} to be distributed by ({string.Join(",", type)}).");
        }
        Assert.Single(await Strings(connection, $"""
            SELECT DISTINCT format_type(atttypid, atttypmod) FROM pg_attribute
            WHERE attname = '{DistributionColumn}' AND attrelid::regclass::text = ANY (@tables)
            """, distributed.ToArray()));

        var uniques = await Rows(connection, """
            SELECT c.relname, i.relname, array_to_string(array(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o), ',')
            FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
            WHERE c.relnamespace = 'public'::regnamespace AND x.indisunique
            """);
        foreach (var (table, index, columns) in uniques.Where(u => distributed.Contains(u.A)))
        {
            Assert.True(columns.Split(',').Contains(DistributionColumn), $"Unique index {index} on distributed {table} ({columns}) lacks {DistributionColumn}.");
        }

        var foreignKeys = await Rows(connection, """
            SELECT conname, conrelid::regclass::text || ':' || confrelid::regclass::text,
                   array_to_string(array(SELECT a.attname FROM unnest(conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k.n ORDER BY k.o), ',')
                   || ':' || array_to_string(array(SELECT a.attname FROM unnest(confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = confrelid AND a.attnum = k.n ORDER BY k.o), ',')
            FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace
            """);
        Assert.NotEmpty(foreignKeys);
        foreach (var (name, tablePair, columnPair) in foreignKeys)
        {
            var (from, to) = (tablePair.Split(':')[0], tablePair.Split(':')[1]);
            var (fromColumns, toColumns) = (columnPair.Split(':')[0].Split(','), columnPair.Split(':')[1].Split(','));
            var allowed = (placement[from], placement[to]) switch
            {
                (_, Place.Reference) => true,
                (Place.Distributed, Place.Distributed) => Array.IndexOf(fromColumns, DistributionColumn) is var i && i >= 0 && Array.IndexOf(toColumns, DistributionColumn) == i,
                (Place.Coordinator, Place.Coordinator) => true,
                _ => false,
            };
            Assert.True(allowed, $"Foreign key {name} from {placement[from]} {from} ({string.Join(",", fromColumns)}) to {placement[to]} {to} ({string.Join(",", toColumns)}) is not allowed by Citus.");
        }
    }

    [Fact]
    public void The_cluster_compose_file_runs_a_coordinator_two_workers_the_api_and_the_setup_that_places_the_tables()
    {
        var compose = ComposeFile.Load("deploy/citus/docker-compose.yml");
        Assert.Equal(["api", "coordinator", "setup", "worker1", "worker2"], compose.Services().Order(StringComparer.Ordinal));
        Assert.Contains("./distribute.sql:/distribute.sql:ro", compose.Sequence("setup", "volumes"));
        var command = string.Join(' ', compose.Sequence("setup", "command"));
        Assert.Contains("citus_add_node('worker1'", command);
        Assert.Contains("citus_add_node('worker2'", command);
        Assert.Contains("-f /distribute.sql", command);
        Assert.Equal("service_healthy", compose.Scalar("setup", "depends_on", "api", "condition"));
        foreach (var (name, _) in compose.Environment("api"))
        {
            Assert.True(ComposeFile.IsSetting(name), $"deploy/citus/docker-compose.yml sets {name}, which the app does not read.");
        }
        var connection = new NpgsqlConnectionStringBuilder(ComposeFile.Substitute(
            compose.Environment("api").Single(e => e.Name == "ConnectionStrings__Aggregator").Value, ComposeFile.TestVariables));
        Assert.Equal("coordinator", connection.Host);
        Assert.All(compose.Sequence("api", "ports"), p => Assert.StartsWith("127.0.0.1:", p));
    }

    private enum Place { Distributed, Reference, Coordinator }

    /// <summary>The three lists of distribute.sql, table by table; a table named twice fails.</summary>
    private static Dictionary<string, Place> Placement()
    {
        var sql = File.ReadAllText(Path.Combine(ComposeFile.Repository, "deploy", "citus", "distribute.sql"));
        var list = new List<KeyValuePair<string, Place>>();
        foreach (var (variable, place) in new[] { ("reference_tables", Place.Reference), ("distributed_tables", Place.Distributed), ("coordinator_tables", Place.Coordinator) })
        {
            var match = Regex.Match(sql, $@"{variable}\s+text\[\]\s*:=\s*ARRAY\[(?<names>[^\]]*)\]");
            Assert.True(match.Success, $"distribute.sql declares no {variable}.");
            list.AddRange(Regex.Matches(match.Groups["names"].Value, "'([^']+)'").Select(m => KeyValuePair.Create(m.Groups[1].Value, place)));
        }
        var twice = list.GroupBy(p => p.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"distribute.sql places {string.Join(", ", twice)} more than once.");
        return list.ToDictionary();
    }

    private static async Task<List<string>> Strings(NpgsqlConnection connection, string sql, string[]? tables = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (tables is not null)
        {
            command.Parameters.AddWithValue("tables", tables);
        }
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    private static async Task<List<(string A, string B, string C)>> Rows(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var rows = new List<(string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        return rows;
    }
}
