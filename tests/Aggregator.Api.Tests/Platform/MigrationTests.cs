using Aggregator.Api.Data.Divisions;
using Aggregator.Api.Tests.Infrastructure;
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
}
