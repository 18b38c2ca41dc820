using Aggregator.Domain;

namespace Aggregator.Api.Data.ReadModel;

/// <summary>
/// Where each cell of a report sits in the read model's arrays: one slot per metric and applicant column (part 三
/// metrics take seven, the others one, under <c>total</c>), in the catalogue's order of pinned ids. Slots are numbered
/// from 1, as SQL arrays are; stored in the table <c>rollup_slots</c>, with the editions that carry each metric.
/// </summary>
public static class RollupSlots
{
    public sealed record Slot(short Number, Metric Metric, Applicant Applicant);

    public static readonly IReadOnlyList<Slot> All = MetricCatalogue.All.OrderBy(m => m.Id)
        .SelectMany(m => (m.HasApplicants ? Applicants.All : [Applicant.Total]).Select(a => (Metric: m, Applicant: a)))
        .Select((s, i) => new Slot((short)(i + 1), s.Metric, s.Applicant))
        .ToArray();

    private static readonly Dictionary<(short Metric, Applicant Applicant), short> numbers =
        All.ToDictionary(s => (s.Metric.Id, s.Applicant), s => s.Number);

    /// <summary>The slot of a cell (from 1).</summary>
    public static short Of(Cell cell) => numbers[(cell.Metric.Id, cell.Applicant ?? Applicant.Total)];

    /// <summary>SQL that fills <c>rollup_slots</c> (run by the migration that creates the read model).</summary>
    public static string InsertSql =>
        "INSERT INTO rollup_slots (slot, metric_id, applicant, in_2019, in_2021) VALUES " +
        string.Join(", ", All.Select(s => $"({s.Number}, {s.Metric.Id}, {(short)s.Applicant}, {Sql(s.Metric.IsIn(Edition.Edition2019))}, {Sql(s.Metric.IsIn(Edition.Edition2021))})"));

    private static string Sql(bool value) => value ? "true" : "false";
}
