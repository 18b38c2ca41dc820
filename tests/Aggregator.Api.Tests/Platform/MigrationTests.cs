using Aggregator.Api.Data;
using Aggregator.Api.Data.Divisions;
using Aggregator.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aggregator.Api.Tests.Platform;

/// <summary>What the migrations leave in a fresh database. A database of its own, migrated by the API's start.</summary>
public sealed class MigrationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_fresh_database_holds_exactly_the_division_list_the_code_reads()
    {
        using var _ = api.CreateClient(); // starts the host, which migrates
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var reader = await new NpgsqlCommand("SELECT * FROM divisions ORDER BY code", connection).ExecuteReaderAsync();

        Assert.Equal(new[] { "code", "name", "level", "parent_code", "province_code", "prefecture_code" },
            Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
        var stored = new List<string>();
        while (await reader.ReadAsync())
        {
            stored.Add(string.Join(",", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : reader.GetString(i))));
        }
        var shipped = DivisionList.Read().OrderBy(d => d.Code, StringComparer.Ordinal)
            .Select(d => string.Join(",", d.Code, d.Name, d.Level, d.ParentCode ?? "∅", d.ProvinceCode, d.PrefectureCode));
        Assert.Equal(shipped, stored);
    }

    [Fact]
    public async Task Migrating_a_database_that_is_up_to_date_reads_the_history_and_leaves_EF_Cores_migrate_alone()
    {
        using var _ = api.CreateClient(); // starts the host, which migrates
        var events = new List<EventId>();
        await using var database = new AggregatorDbContext(new DbContextOptionsBuilder<AggregatorDbContext>()
            .UseNpgsql(api.ConnectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .LogTo((id, _) => id.Id is >= 20400 and < 20500, data => events.Add(data.EventId)) // the migrator's events
            .Options);

        await database.MigrateAsync();

        // EF Core's migrate compares the migrations' snapshot with the design-time model first: most of a start's CPU.
        Assert.DoesNotContain(events, e => e.Id == RelationalEventId.MigrateUsingConnection.Id);
        Assert.Empty(await database.Database.GetPendingMigrationsAsync());
    }
}
