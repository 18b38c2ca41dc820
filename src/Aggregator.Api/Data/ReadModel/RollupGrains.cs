using Aggregator.Domain;

namespace Aggregator.Api.Data.ReadModel;

/// <summary>
/// A level at which the read model keeps rollup sums: the region and sector keys it keeps (the others are '' in its
/// rows). Year, metric and applicant column are kept at every grain. The prefecture grain also keeps the first four
/// digits of the agency's division (<c>d4</c>), which a 4-digit division filter needs: districts of a municipality
/// (110101) roll up to the municipality (prefecture 110000) but are filtered by their own prefix (1101).
/// </summary>
/// <param name="Id">Stored in the <c>grain</c> column of the read model tables; never renumber.</param>
public sealed record RollupGrain(short Id, string Name, bool Province, bool Prefecture, bool County, bool Sector)
{
    /// <summary>How many rows a grain holds relative to the others, smallest first: the order in which a query tries them.</summary>
    public static readonly IReadOnlyList<RollupGrain> All =
    [
        new(0, "national", false, false, false, false),
        new(1, "province", true, false, false, false),
        new(4, "sector", false, false, false, true),
        new(5, "province × sector", true, false, false, true),
        new(2, "prefecture", true, true, false, false),
        new(3, "county", true, true, true, false),
    ];

    /// <summary>The coarsest grain that keeps every key a query groups or filters by; null when none does (agency, or county × sector).</summary>
    public static RollupGrain? For(IReadOnlyCollection<Dimension> groupBy, ReportFilter filter)
    {
        var province = groupBy.Contains(Dimension.Province) || filter.Division is { Length: 2 };
        var prefecture = groupBy.Contains(Dimension.Prefecture) || filter.Division is { Length: 4 };
        var county = groupBy.Contains(Dimension.County) || filter.Division is { Length: 6 };
        var sector = groupBy.Contains(Dimension.Sector) || filter.Sector is not null;
        if (groupBy.Contains(Dimension.Agency))
        {
            return null;
        }
        return All.FirstOrDefault(g => (g.Province || !province) && (g.Prefecture || !prefecture) && (g.County || !county) && (g.Sector || !sector));
    }

    /// <summary>The grains as SQL rows, for the fold and the rebuild: <c>(grain, province, prefecture, county, sector)</c> booleans.</summary>
    public static string ValuesSql =>
        "VALUES " + string.Join(", ", All.Select(g => $"({g.Id}::smallint, {Sql(g.Province)}, {Sql(g.Prefecture)}, {Sql(g.County)}, {Sql(g.Sector)})"));

    private static string Sql(bool value) => value ? "true" : "false";
}
