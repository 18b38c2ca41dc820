using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Api.Data.ReadModel;

/// <summary>
/// What a batch of deltas adds to the rows of <c>rollup_groups</c>: every delta added, slot by slot, into the group it
/// falls in at every grain (<see cref="RollupGrain"/>). Summing here rather than in SQL (where an array sum is a
/// function call over unnested elements) turns a batch of thousands of deltas into one array sum per group touched,
/// done by PostgreSQL where the group's row is already there.
/// </summary>
public sealed class RollupIncrements
{
    private sealed record Key(short Grain, short Year, string Province, string Prefecture, string D4, string County, string Sector);

    private sealed class Sums(int slots)
    {
        public int Reports2019;
        public int Reports2021;
        public readonly decimal[] Totals = new decimal[slots];
        public readonly int[] Blanks = new int[slots];
    }

    private readonly Dictionary<Key, Sums> groups = [];

    public int Count => groups.Count;

    public void Add(short year, RollupPlace place, int reports2019, int reports2021, decimal[] totals, int[] blanks)
    {
        foreach (var grain in RollupGrain.All)
        {
            var key = new Key(grain.Id, year,
                grain.Province ? place.Province : "", grain.Prefecture ? place.Prefecture : "", grain.Prefecture ? place.D4 : "",
                grain.County ? place.County : "", grain.Sector ? place.Sector : "");
            if (!groups.TryGetValue(key, out var sums))
            {
                groups.Add(key, sums = new Sums(totals.Length));
            }
            sums.Reports2019 += reports2019;
            sums.Reports2021 += reports2021;
            Add(sums.Totals, totals);
            Add(sums.Blanks, blanks);
        }
    }

    private static void Add(decimal[] sums, decimal[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            sums[i] += values[i];
        }
    }

    private static void Add(int[] sums, int[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            sums[i] += values[i];
        }
    }

    /// <summary>Writes the increments into <paramref name="table"/> (the columns of <c>rollup_groups</c>) by binary COPY.</summary>
    public async Task CopyAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {table} (grain, year, province, prefecture, d4, county, sector, reports_2019, reports_2021, totals, blanks) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var (key, sums) in groups)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(key.Grain, NpgsqlDbType.Smallint, cancellationToken);
            await writer.WriteAsync(key.Year, NpgsqlDbType.Smallint, cancellationToken);
            await writer.WriteAsync(key.Province, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(key.Prefecture, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(key.D4, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(key.County, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(key.Sector, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(sums.Reports2019, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(sums.Reports2021, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(sums.Totals, NpgsqlDbType.Array | NpgsqlDbType.Numeric, cancellationToken);
            await writer.WriteAsync(sums.Blanks, NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }
}
