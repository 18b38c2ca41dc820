namespace Aggregator.Domain;

public enum FindingSeverity
{
    /// <summary>The template's own arithmetic does not hold inside the report (R1–R4).</summary>
    Warning,

    /// <summary>A soft cross-year check (R5, R6): the report disagrees with the agency's previous one.</summary>
    Info,
}

/// <summary>A broken consistency rule, stored beside the published numbers; never a correction of them.</summary>
public sealed record Finding(string Rule, FindingSeverity Severity, string Message, string Path);

/// <summary>
/// The template's consistency rules (勾稽关系) R1–R6. Blank counts as 0; a check whose cells are all blank is skipped.
/// R7 (no negative counts) is a hard rule enforced when a document is read, see <see cref="ReportDocumentJson.CheckValue"/>.
/// </summary>
public static class ConsistencyRules
{
    /// <summary>The rules a finding names, in order.</summary>
    public static readonly IReadOnlyList<string> Rules = ["R1", "R2", "R3", "R4", "R5", "R6"];

    private static readonly string[] OutcomeRowPrefixes =
        ["applications.granted", "applications.partiallyGranted", "applications.denied.", "applications.unableToProvide.", "applications.notProcessed.", "applications.otherHandling"];

    /// <summary>The leaf outcome rows (granted … otherHandling) that R3 adds up, for an edition.</summary>
    public static IReadOnlyList<Metric> OutcomeRows(Edition edition) =>
        MetricCatalogue.FieldsOf(edition)
            .Where(m => m.HasApplicants && OutcomeRowPrefixes.Any(p => m.Code == p || m.Code.StartsWith(p, StringComparison.Ordinal)))
            .Where(m => m.Code is not "applications.totalHandled" and not "applications.carriedForward")
            .ToArray();

    /// <summary>R1–R4 on the document; R5–R6 as well when the agency's previous-year document is given.</summary>
    public static IReadOnlyList<Finding> Check(ReportDocument document, ReportDocument? previousYear = null)
    {
        var findings = new List<Finding>();
        CheckBalance(document, findings);
        CheckRowTotals(document, findings);
        CheckOutcomes(document, findings);
        CheckAppeals(document, findings);
        if (previousYear is not null)
        {
            CheckCarryOver(document, previousYear, findings);
            CheckItemCounts(document, previousYear, findings);
        }
        return findings;
    }

    // R1: newlyReceived + carriedOver = totalHandled + carriedForward, per column.
    private static void CheckBalance(ReportDocument d, List<Finding> findings)
    {
        foreach (var column in Applicants.All)
        {
            decimal? received = Get(d, "applications.newlyReceived", column), carried = Get(d, "applications.carriedOver", column);
            decimal? handled = Get(d, "applications.totalHandled", column), forward = Get(d, "applications.carriedForward", column);
            if (AllBlank(received, carried, handled, forward))
            {
                continue;
            }
            if (Z(received) + Z(carried) != Z(handled) + Z(forward))
            {
                findings.Add(new("R1", FindingSeverity.Warning,
                    $"Column {column.Key()}: newlyReceived {Show(received)} + carriedOver {Show(carried)} != totalHandled {Show(handled)} + carriedForward {Show(forward)}.",
                    $"applications.totalHandled.{column.Key()}"));
            }
        }
    }

    // R2: total = the six applicant columns, per row; skipped when total or all six are blank.
    private static void CheckRowTotals(ReportDocument d, List<Finding> findings)
    {
        foreach (var row in MetricCatalogue.FieldsOf(d.Edition).Where(m => m.HasApplicants))
        {
            var total = d.Get(row, Applicant.Total);
            var parts = Applicants.Parts.Select(a => d.Get(row, a)).ToArray();
            if (total is null || parts.All(p => p is null))
            {
                continue;
            }
            var sum = parts.Sum(Z);
            if (sum != total)
            {
                findings.Add(new("R2", FindingSeverity.Warning,
                    $"Row {Short(row)}: total {total} != {string.Join(" + ", parts.Select(Show))} = {sum}.",
                    $"{row.Code}.total"));
            }
        }
    }

    // R3: totalHandled = the sum of every leaf outcome row, per column.
    private static void CheckOutcomes(ReportDocument d, List<Finding> findings)
    {
        var outcomes = OutcomeRows(d.Edition);
        foreach (var column in Applicants.All)
        {
            var handled = d.Get("applications.totalHandled", column);
            var values = outcomes.Select(m => d.Get(m, column)).ToArray();
            if (handled is null && values.All(v => v is null))
            {
                continue;
            }
            var sum = values.Sum(Z);
            if (sum != Z(handled))
            {
                findings.Add(new("R3", FindingSeverity.Warning,
                    $"Column {column.Key()}: totalHandled {Show(handled)} != {sum}, the sum of the {outcomes.Count} outcome rows (granted … otherHandling).",
                    $"applications.totalHandled.{column.Key()}"));
            }
        }
    }

    // R4: each appeals block, total = upheld + corrected + other + pending.
    private static void CheckAppeals(ReportDocument d, List<Finding> findings)
    {
        foreach (var block in new[] { "review", "litigationDirect", "litigationAfterReview" })
        {
            var parts = new[] { "upheld", "corrected", "other", "pending" }.Select(f => d.Get($"appeals.{block}.{f}")).ToArray();
            var total = d.Get($"appeals.{block}.total");
            if (total is null && parts.All(p => p is null))
            {
                continue;
            }
            var sum = parts.Sum(Z);
            if (sum != Z(total))
            {
                findings.Add(new("R4", FindingSeverity.Warning,
                    $"Block {block}: total {Show(total)} != upheld + corrected + other + pending = {string.Join(" + ", parts.Select(Show))} = {sum}.",
                    $"appeals.{block}.total"));
            }
        }
    }

    // R5: carriedOver(N) = carriedForward(N-1), per column.
    private static void CheckCarryOver(ReportDocument d, ReportDocument previous, List<Finding> findings)
    {
        foreach (var column in Applicants.All)
        {
            var carriedOver = Get(d, "applications.carriedOver", column);
            var carriedForward = Get(previous, "applications.carriedForward", column);
            if (AllBlank(carriedOver, carriedForward))
            {
                continue;
            }
            if (Z(carriedOver) != Z(carriedForward))
            {
                findings.Add(new("R5", FindingSeverity.Info,
                    $"Column {column.Key()}: carriedOver {Show(carriedOver)} != carriedForward {Show(carriedForward)} of the previous year's report.",
                    $"applications.carriedOver.{column.Key()}"));
            }
        }
    }

    // R6 (2019 edition, both years): itemsLastYear(N) = itemsLastYear(N-1) + itemsChange(N-1).
    private static void CheckItemCounts(ReportDocument d, ReportDocument previous, List<Finding> findings)
    {
        if (d.Edition != Edition.Edition2019 || previous.Edition != Edition.Edition2019)
        {
            return;
        }
        foreach (var row in new[] { "licensing", "otherServices", "penalty", "coercion", "fees" })
        {
            var now = d.Get($"proactive.{row}.itemsLastYear");
            var before = previous.Get($"proactive.{row}.itemsLastYear");
            var change = previous.Get($"proactive.{row}.itemsChange");
            if (AllBlank(now, before, change))
            {
                continue;
            }
            if (Z(now) != Z(before) + Z(change))
            {
                findings.Add(new("R6", FindingSeverity.Info,
                    $"Row {row}: itemsLastYear {Show(now)} != previous year's itemsLastYear {Show(before)} + itemsChange {Show(change)}.",
                    $"proactive.{row}.itemsLastYear"));
            }
        }
    }

    /// <summary>
    /// The cells of <paramref name="document"/> that a finding's rule reads, with their values, in template order:
    /// R1 the four rows of its column, R2 its row's seven columns, R3 the total and the outcome rows of its column, R4
    /// its appeals block. R5 and R6 compare with the previous year's report: only the finding's own cell is in this one.
    /// </summary>
    public static IReadOnlyList<Cell> CellsOf(Finding finding, ReportDocument document)
    {
        if (Address(finding.Path, document.Edition) is not var (metric, column))
        {
            return [];
        }
        var prefix = finding.Path[..finding.Path.LastIndexOf('.')];
        IEnumerable<(Metric Metric, Applicant? Column)> cells = (finding.Rule, column) switch
        {
            ("R1", { } c) => new[] { "applications.newlyReceived", "applications.carriedOver", "applications.totalHandled", "applications.carriedForward" }
                .Select(code => (MetricCatalogue.Get(code), (Applicant?)c)),
            ("R2", not null) => Applicants.All.Select(a => (metric, (Applicant?)a)),
            ("R3", { } c) => OutcomeRows(document.Edition).Prepend(MetricCatalogue.Get("applications.totalHandled")).Select(m => (m, (Applicant?)c)),
            ("R4", null) => MetricCatalogue.AppealFields.Select(f => (MetricCatalogue.Get($"{prefix}.{f.Key}"), (Applicant?)null)),
            _ => [(metric, column)],
        };
        return cells.Select(c => new Cell(c.Metric, c.Column, document.Get(c.Metric, c.Column))).ToArray();
    }

    /// <summary>The metric and column a document path names in an edition (<c>applications.granted.total</c>), or null.</summary>
    private static (Metric Metric, Applicant? Column)? Address(string path, Edition edition)
    {
        var dot = path.LastIndexOf('.');
        if (dot > 0 && Applicants.TryParse(path[(dot + 1)..], out var column) && MetricCatalogue.Find(path[..dot]) is { HasApplicants: true } metric && metric.IsIn(edition))
        {
            return (metric, column);
        }
        return MetricCatalogue.Find(path) is { HasApplicants: false } plain && plain.IsIn(edition) ? (plain, null) : null;
    }

    private static decimal? Get(ReportDocument d, string code, Applicant column) => d.Get(code, column);

    private static bool AllBlank(params decimal?[] values) => values.All(v => v is null);

    private static decimal Z(decimal? value) => value ?? 0;

    private static string Show(decimal? value) => value?.ToString() ?? "blank";

    private static string Short(Metric row) => row.Code["applications.".Length..];
}
