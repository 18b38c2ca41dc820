using System.Text.Json.Serialization;

namespace Aggregator.Domain;

/// <summary>One cell of the document: a metric, the applicant column for part 三, and the value (null = blank).</summary>
public readonly record struct Cell(Metric Metric, Applicant? Applicant, decimal? Value)
{
    /// <summary>The document path of the cell: <c>applications.granted.total</c>, <c>proactive.penalty.decisions</c>.</summary>
    public string Path => Applicant is { } applicant ? $"{Metric.Code}.{applicant.Key()}" : Metric.Code;
}

/// <summary>
/// A report as the template defines it: every cell of its edition, blank (null) kept apart from zero, and the three
/// narrative parts. Agency and year are not part of the document; they address it.
/// </summary>
[JsonConverter(typeof(ReportDocumentJsonConverter))]
public sealed class ReportDocument
{
    private readonly Dictionary<(short MetricId, Applicant? Applicant), decimal?> values = new();

    public ReportDocument(Edition edition)
    {
        Edition = edition;
        foreach (var metric in MetricCatalogue.FieldsOf(edition))
        {
            foreach (var applicant in ColumnsOf(metric))
            {
                values[(metric.Id, applicant)] = null;
            }
        }
    }

    public Edition Edition { get; }

    /// <summary>一、总体情况</summary>
    public string? Overview { get; set; }

    /// <summary>五、存在的主要问题及改进情况</summary>
    public string? Problems { get; set; }

    /// <summary>六、其他需要报告的事项</summary>
    public string? OtherMatters { get; set; }

    /// <summary>The document's own fields in template order (what a submission carries).</summary>
    public IEnumerable<Cell> Fields =>
        from metric in MetricCatalogue.FieldsOf(Edition)
        from applicant in ColumnsOf(metric)
        select new Cell(metric, applicant, values[(metric.Id, applicant)]);

    /// <summary>
    /// Every metric of the edition with its value, derived metrics included (2021 <c>applications.otherHandling</c>,
    /// the sum of its three rows): what rollups aggregate.
    /// </summary>
    public IEnumerable<Cell> MetricCells =>
        from metric in MetricCatalogue.All
        where metric.IsIn(Edition)
        from applicant in ColumnsOf(metric)
        select new Cell(metric, applicant, Get(metric, applicant));

    public decimal? Get(string code, Applicant? applicant = null) => Get(MetricCatalogue.Get(code), applicant);

    public decimal? Get(Metric metric, Applicant? applicant = null)
    {
        CheckAddress(metric, applicant);
        if (metric.DerivedIn == Edition)
        {
            return SumOfChildren(metric, applicant);
        }
        return values[(metric.Id, applicant)];
    }

    public void Set(string code, Applicant? applicant, decimal? value) => Set(MetricCatalogue.Get(code), applicant, value);

    public void Set(Metric metric, Applicant? applicant, decimal? value)
    {
        CheckAddress(metric, applicant);
        if (!metric.IsFieldOf(Edition))
        {
            throw new ArgumentException($"'{metric.Code}' is derived in edition {Edition.Code()}, not a field of it.");
        }
        values[(metric.Id, applicant)] = value;
    }

    public static IReadOnlyList<Applicant?> ColumnsOf(Metric metric) => metric.HasApplicants ? ApplicantColumns : NoColumn;

    private static readonly Applicant?[] ApplicantColumns = Applicants.All.Select(a => (Applicant?)a).ToArray();
    private static readonly Applicant?[] NoColumn = [null];

    private decimal? SumOfChildren(Metric metric, Applicant? applicant)
    {
        decimal? sum = null;
        var prefix = metric.Code + ".";
        foreach (var child in MetricCatalogue.FieldsOf(Edition))
        {
            if (child.Code.StartsWith(prefix, StringComparison.Ordinal) && values[(child.Id, applicant)] is { } value)
            {
                sum = (sum ?? 0) + value;
            }
        }
        return sum;
    }

    private void CheckAddress(Metric metric, Applicant? applicant)
    {
        if (!metric.IsIn(Edition))
        {
            throw new ArgumentException($"'{metric.Code}' is not in edition {Edition.Code()}.");
        }
        if (metric.HasApplicants != applicant.HasValue)
        {
            throw new ArgumentException(metric.HasApplicants
                ? $"'{metric.Code}' needs an applicant column."
                : $"'{metric.Code}' has no applicant column.");
        }
    }
}
