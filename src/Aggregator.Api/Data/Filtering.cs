using Aggregator.Domain;
using Npgsql;

namespace Aggregator.Api.Data;

/// <summary>
/// The domain's <see cref="ReportFilter"/> and "agency active in a year" (<see cref="ReportYears.IsActive"/>) as
/// queries: once for LINQ, once for the SQL of rollups. Both translations live here so they cannot drift apart.
/// </summary>
public static class Filtering
{
    public static IQueryable<Agency> Within(this IQueryable<Agency> agencies, ReportFilter filter)
    {
        if (filter.Division is { } division)
        {
            agencies = agencies.Where(a => a.DivisionCode.StartsWith(division));
        }
        if (filter.Sector is { } sector)
        {
            agencies = agencies.Where(a => a.Sector == sector);
        }
        return agencies;
    }

    /// <summary>Reports with a current revision whose agency and year match.</summary>
    public static IQueryable<Report> Within(this IQueryable<Report> reports, ReportFilter filter)
    {
        reports = reports.Where(r => r.CurrentRevisionNumber != null);
        if (filter.Division is { } division)
        {
            reports = reports.Where(r => r.Agency.DivisionCode.StartsWith(division));
        }
        if (filter.Sector is { } sector)
        {
            reports = reports.Where(r => r.Agency.Sector == sector);
        }
        if (filter.YearFrom is { } from)
        {
            reports = reports.Where(r => r.Year >= from);
        }
        if (filter.YearTo is { } to)
        {
            reports = reports.Where(r => r.Year <= to);
        }
        return reports;
    }

    public static IQueryable<Agency> ActiveIn(this IQueryable<Agency> agencies, int year) =>
        agencies.Where(a => (a.ActiveFrom == null || a.ActiveFrom <= year) && (a.ActiveTo == null || a.ActiveTo >= year));

    /// <summary>SQL: the agency <c>a</c> is active in the year <paramref name="year"/> (an SQL expression).</summary>
    public static string ActiveSql(string year) => $"(a.active_from IS NULL OR a.active_from <= {year}) AND (a.active_to IS NULL OR a.active_to >= {year})";

    /// <summary>
    /// SQL conditions on agency <c>a</c> and the report year <paramref name="year"/> (an SQL expression; null: no year
    /// condition), with their parameters.
    /// </summary>
    public static (List<string> Conditions, List<NpgsqlParameter> Parameters) Sql(ReportFilter filter, string? year = "r.year")
    {
        var conditions = new List<string>();
        var parameters = new List<NpgsqlParameter>();
        if (filter.Division is { } division)
        {
            conditions.Add("a.division_code LIKE @division");
            parameters.Add(new("division", division + "%"));
        }
        if (filter.Sector is { } sector)
        {
            conditions.Add("a.sector = @sector");
            parameters.Add(new("sector", sector));
        }
        if (year is not null && filter.YearFrom is { } from)
        {
            conditions.Add($"{year} >= @yearFrom");
            parameters.Add(new("yearFrom", from));
        }
        if (year is not null && filter.YearTo is { } to)
        {
            conditions.Add($"{year} <= @yearTo");
            parameters.Add(new("yearTo", to));
        }
        return (conditions, parameters);
    }
}
