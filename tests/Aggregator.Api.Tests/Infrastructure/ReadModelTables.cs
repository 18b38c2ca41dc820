using Aggregator.Api.Data.ReadModel;
using Npgsql;

namespace Aggregator.Api.Tests.Infrastructure;

/// <summary>The rollup read model's tables as the tests compare them: folded to the end, and as text.</summary>
public static class ReadModelTables
{
    /// <summary>Folds the delta queue until it is empty.</summary>
    public static async Task FoldAsync(NpgsqlConnection connection)
    {
        while (await RollupProjection.FoldAsync(connection, 1000, CancellationToken.None) > 0 || await QueuedAsync(connection) > 0)
        {
            await Task.Yield();
        }
    }

    /// <summary>The deltas not folded yet.</summary>
    public static async Task<long> QueuedAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM rollup_deltas", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Every non-empty row of the summary tables, as text, in a fixed order.</summary>
    public static async Task<List<string>> SnapshotAsync(NpgsqlConnection connection)
    {
        var rows = new List<string>();
        foreach (var sql in new[]
                 {
                     "SELECT concat_ws('|', grain, year, province, prefecture, d4, county, sector, reports_2019, reports_2021, " +
                     "array(SELECT trim_scale(t) FROM unnest(totals) AS t)::text, blanks::text) FROM rollup_groups " +
                     "WHERE reports_2019 <> 0 OR reports_2021 <> 0 OR EXISTS (SELECT FROM unnest(totals) t WHERE t <> 0) OR EXISTS (SELECT FROM unnest(blanks) b WHERE b <> 0) " +
                     "ORDER BY grain, province, d4, county, sector, prefecture, year",
                     "SELECT format('%s', a) FROM rollup_agencies a WHERE agencies <> 0 ORDER BY grain, province, d4, county, sector, prefecture, active_from, active_to",
                 })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }
        return rows;
    }
}
