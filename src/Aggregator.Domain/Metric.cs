namespace Aggregator.Domain;

public enum MetricUnit
{
    /// <summary>A non-negative whole number (except 2019 itemsChange, which may be negative).</summary>
    Count,

    /// <summary>Money in 万元 (10,000 yuan), up to 6 decimals.</summary>
    WanYuan,
}

/// <summary>
/// A numeric field of the report document, named by its path (<c>proactive.penalty.decisions</c>).
/// Metrics of part 三 carry the applicant dimension: one cell per <see cref="Applicant"/> column.
/// </summary>
/// <param name="Id">Stable storage key. Never renumber: stored cells refer to it.</param>
/// <param name="Code">The document path of the field.</param>
/// <param name="Label">Chinese label as printed in the template.</param>
/// <param name="Editions">The editions whose document holds this field.</param>
/// <param name="DerivedIn">An edition in which the metric is not a document field but the sum of its child rows.</param>
public sealed record Metric(
    short Id,
    string Code,
    string Label,
    IReadOnlyList<Edition> Editions,
    MetricUnit Unit,
    bool HasApplicants,
    bool MayBeNegative = false,
    Edition? DerivedIn = null)
{
    /// <summary>True when the metric means the same thing in both editions, so values compare across them.</summary>
    public bool ComparesAcrossEditions => Editions.Count == Domain.Editions.All.Count;

    public bool IsIn(Edition edition) => Editions.Contains(edition);

    /// <summary>True when the document of this edition carries the field itself (not derived from other fields).</summary>
    public bool IsFieldOf(Edition edition) => IsIn(edition) && DerivedIn != edition;

    public override string ToString() => Code;
}
