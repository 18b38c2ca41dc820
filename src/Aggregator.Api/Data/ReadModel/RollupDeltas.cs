using Aggregator.Domain;
using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Api.Data.ReadModel;

/// <summary>
/// The write side of the rollup read model: every accepted change appends one row to <c>rollup_deltas</c> in the same
/// transaction — a submission the difference its cells make (new cells minus the ones they replace) as full arrays
/// over the slots (<see cref="RollupSlots"/>: sum and blanks per metric and applicant column) and the change in its
/// reports per edition; a registration the agency. Appending
/// never touches a shared row, so the January rush does not queue on national totals; <see cref="RollupProjection"/>
/// folds the queue into the summary tables in batches, and queries add what is not folded yet.
/// </summary>
/// <summary>Where an agency's changes count: its region at every level, its sector, its active years (0: open).</summary>
public sealed record RollupPlace(string Province, string Prefecture, string D4, string County, string Sector, short ActiveFrom, short ActiveTo)
{
    public static RollupPlace Of(Agency agency)
    {
        var division = Divisions.DivisionDirectory.Find(agency.DivisionCode)
                       ?? throw new InvalidOperationException($"Agency {agency.Code} is in division {agency.DivisionCode}, which is not on the list.");
        return new RollupPlace(division.ProvinceCode, division.PrefectureCode, agency.DivisionCode[..4], agency.DivisionCode, agency.Sector,
            (short)(agency.ActiveFrom ?? 0), (short)(agency.ActiveTo ?? 0));
    }

    public IEnumerable<object> Values => [Province, Prefecture, D4, County, Sector, ActiveFrom, ActiveTo];
}

public static class RollupDeltas
{
    private const string Insert = """
        INSERT INTO rollup_deltas (agency_id, year, province, prefecture, d4, county, sector, active_from, active_to,
                                   reports_2019, reports_2021, agencies, totals, blanks)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
        """;

    /// <summary>The channel the write path notifies on commit (payload: <c>year@instance</c>, or <c>*@instance</c> for agencies), so every other instance's caches learn of the change.</summary>
    public const string Channel = "aggregator_rollups";

    /// <summary>
    /// The delta of a submission of a document of edition <paramref name="edition"/> replacing one of
    /// <paramref name="replacedEdition"/> (null: the report is new), or null when it changes neither cells nor the
    /// report's edition.
    /// </summary>
    public static NpgsqlBatchCommand? ForSubmission(Agency agency, int year, Edition edition, Edition? replacedEdition, IEnumerable<Cell> replaced, IEnumerable<Cell> cells)
    {
        var totals = new decimal[RollupSlots.All.Count];
        var blanks = new int[RollupSlots.All.Count];
        void Add(Cell cell, int sign)
        {
            var slot = RollupSlots.Of(cell) - 1;
            if (cell.Value is { } value)
            {
                totals[slot] += sign * value;
            }
            else
            {
                blanks[slot] += sign;
            }
        }
        foreach (var cell in replaced)
        {
            Add(cell, -1);
        }
        foreach (var cell in cells)
        {
            Add(cell, +1);
        }
        if (replacedEdition == edition && Array.TrueForAll(totals, t => t == 0) && Array.TrueForAll(blanks, b => b == 0))
        {
            return null;
        }
        int Reports(Edition e) => (edition == e ? 1 : 0) - (replacedEdition == e ? 1 : 0);
        var command = Command(agency, year, Reports(Edition.Edition2019), Reports(Edition.Edition2021), agencies: 0);
        command.Parameters.Add(new NpgsqlParameter { Value = totals, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter { Value = blanks, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        return command;
    }

    /// <summary>The delta of a newly registered agency: one more agency expected in its active years.</summary>
    public static NpgsqlBatchCommand ForAgency(Agency agency)
    {
        var command = Command(agency, null, 0, 0, agencies: 1);
        command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric });
        command.Parameters.Add(new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        return command;
    }

    private static NpgsqlBatchCommand Command(Agency agency, int? year, int reports2019, int reports2021, int agencies)
    {
        var command = new NpgsqlBatchCommand(Insert);
        command.Parameters.Add(new NpgsqlParameter { Value = agency.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = year is { } y ? (short)y : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        foreach (var value in RollupPlace.Of(agency).Values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        command.Parameters.Add(new NpgsqlParameter { Value = (short)reports2019 });
        command.Parameters.Add(new NpgsqlParameter { Value = (short)reports2021 });
        command.Parameters.Add(new NpgsqlParameter { Value = (short)agencies });
        return command;
    }

    /// <summary>The notification that agencies changed (every year's expected counts), from instance <paramref name="sender"/>.</summary>
    public static NpgsqlBatchCommand NotifyAll(string sender) => Notification("*@" + sender);

    /// <summary>The notification that a year's data changed, from instance <paramref name="sender"/> (which knows it already).</summary>
    public static NpgsqlBatchCommand Notify(int year, string sender) =>
        Notification(year.ToString(System.Globalization.CultureInfo.InvariantCulture) + "@" + sender);

    private static NpgsqlBatchCommand Notification(string payload) =>
        new("SELECT pg_notify($1, $2)") { Parameters = { new() { Value = Channel }, new() { Value = payload } } };
}
