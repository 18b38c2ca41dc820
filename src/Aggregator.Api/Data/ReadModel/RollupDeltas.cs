using Aggregator.Domain;
using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Api.Data.ReadModel;

/// <summary>
/// The write side of the rollup read model: every accepted change appends one row to <c>rollup_deltas</c> in the same
/// transaction — a submission the difference its cells make (new cells minus the ones they replace, per metric and
/// applicant column: sum, blanks, cells) and whether it created the report; a registration the agency. Appending
/// never touches a shared row, so the January rush does not queue on national totals; <see cref="RollupProjection"/>
/// folds the queue into the summary tables in batches, and queries add what is not folded yet.
/// </summary>
public static class RollupDeltas
{
    /// <summary>The channel the write path notifies on commit (payload: the report year), so every instance's caches learn of the change.</summary>
    public const string Channel = "aggregator_rollups";

    /// <summary>The delta of a submission, or null when its cells are those it replaces and it created no report.</summary>
    public static NpgsqlBatchCommand? ForSubmission(int agencyId, int year, bool created, IEnumerable<Cell> replaced, IEnumerable<Cell> cells)
    {
        var change = new Dictionary<(short Metric, short Applicant), (decimal Total, int Blanks, int Cells)>();
        void Add(Cell cell, int sign)
        {
            var key = (cell.Metric.Id, (short)(cell.Applicant ?? Applicant.Total));
            var (total, blanks, count) = change.GetValueOrDefault(key);
            change[key] = (total + sign * (cell.Value ?? 0), blanks + sign * (cell.Value is null ? 1 : 0), count + sign);
        }
        foreach (var cell in replaced)
        {
            Add(cell, -1);
        }
        foreach (var cell in cells)
        {
            Add(cell, +1);
        }
        var changed = change.Where(c => c.Value != default).ToArray();
        if (changed.Length == 0 && !created)
        {
            return null;
        }
        var command = new NpgsqlBatchCommand("""
            INSERT INTO rollup_deltas (agency_id, year, reports, agencies, metric_ids, applicants, totals, blanks, cells)
            VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = agencyId });
        command.Parameters.Add(new NpgsqlParameter { Value = (short)year });
        command.Parameters.Add(new NpgsqlParameter { Value = (short)(created ? 1 : 0) });
        command.Parameters.Add(new NpgsqlParameter { Value = changed.Select(c => c.Key.Metric).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changed.Select(c => c.Key.Applicant).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changed.Select(c => c.Value.Total).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter { Value = changed.Select(c => c.Value.Blanks).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = changed.Select(c => c.Value.Cells).ToArray() });
        return command;
    }

    public static NpgsqlBatchCommand Notify(int year) =>
        new("SELECT pg_notify($1, $2)") { Parameters = { new() { Value = Channel }, new() { Value = year.ToString(System.Globalization.CultureInfo.InvariantCulture) } } };
}
