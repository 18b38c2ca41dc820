using System.Text.Json.Serialization;
using Aggregator.Api.Features.Shared;

namespace Aggregator.Api.Features.Rollups.GetRollup;

/// <param name="AsOf">When the answer was computed: it includes every submission committed by then (answers are kept while no data they read changes).</param>
/// <param name="Source">What answered: the read model's grain (national, province, prefecture, county, sector, province × sector) or facts (the cells themselves).</param>
public sealed record RollupResponse(
    IReadOnlyList<string> Metrics, IReadOnlyList<string> GroupBy, IReadOnlyList<string> Applicants, IReadOnlyList<RollupRow> Rows,
    DateTimeOffset AsOf, string Source);

/// <summary>
/// One group. Only the keys named in groupBy are present, each with its name beside it (prefecture 654200,
/// prefectureName 塔城地区). An agency above a level rolls up under its own division at that level. <c>values</c> holds each metric's sum (blank cells counted
/// as 0; null when no report in the group carries the metric, e.g. a 2019-only metric in 2021), <c>blanks</c> how many
/// blank cells went into each sum, <c>reports</c> how many reports the group holds.
/// With compare=previousYear, <c>previous</c> holds each metric's value in the same group one year earlier and
/// <c>change</c> = value − previous. Both are null where there is nothing to compare: no previous value, or a metric that
/// does not compare across editions summed over reports not all of its edition (in either year). <c>change</c> is
/// also null when either sum is made of blank cells only: blanks count as 0 in a sum, but a difference of nothing
/// published would read as a real change.
/// </summary>
public sealed record RollupRow : RegionGroup
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Agency { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? AgencyName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Year { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Applicant { get; init; }
    public required Dictionary<string, decimal?> Values { get; init; }
    public required int Reports { get; init; }
    public required Dictionary<string, int> Blanks { get; init; }
    /// <summary>Agency-years expected in the group: agencies registered and active in each year of the group.</summary>
    public int Expected { get; init; }
    /// <summary>Reports submitted / expected (null when none is expected): tells "zero" from "not reported".</summary>
    public decimal? ReportingRate { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, decimal?>? Previous { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, decimal?>? Change { get; init; }
}
