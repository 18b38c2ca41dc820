namespace Aggregator.Domain;

/// <summary>
/// The filter every list, export, rollup and completeness query takes: agencies inside a division prefix, of a
/// sector, reports of a range of years. Null is "any".
/// </summary>
public sealed record ReportFilter(string? Division = null, string? Sector = null, int? YearFrom = null, int? YearTo = null)
{
    public static ReportFilter Of(string? division, string? sector, int? yearFrom = null, int? yearTo = null) =>
        new(string.IsNullOrEmpty(division) ? null : division, string.IsNullOrEmpty(sector) ? null : sector, yearFrom, yearTo);

    /// <summary>The filter for one year.</summary>
    public ReportFilter ForYear(int year) => this with { YearFrom = year, YearTo = year };

    public bool Includes(string divisionCode, string sector) =>
        (Division is null || DivisionPrefix.Contains(Division, divisionCode)) && (Sector is null || Sector == sector);

    public bool Includes(int year) => (YearFrom is null || year >= YearFrom) && (YearTo is null || year <= YearTo);
}
