namespace Aggregator.Domain;

/// <summary>What a rollup (or completeness) groups by.</summary>
public enum Dimension
{
    Province,
    Prefecture,
    County,
    Agency,
    Sector,
    Year,
    Applicant,
}

public static class Dimensions
{
    public static readonly IReadOnlyList<Dimension> All = Enum.GetValues<Dimension>();

    /// <summary>The dimensions of an agency's place: its region at each level and its sector (what completeness groups by).</summary>
    public static readonly IReadOnlyList<Dimension> Regional = [Dimension.Province, Dimension.Prefecture, Dimension.County, Dimension.Sector];

    public static string Key(this Dimension dimension) => dimension switch
    {
        Dimension.Province => "province",
        Dimension.Prefecture => "prefecture",
        Dimension.County => "county",
        Dimension.Agency => "agency",
        Dimension.Sector => "sector",
        Dimension.Year => "year",
        Dimension.Applicant => "applicant",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

    public static bool TryParse(string? key, out Dimension dimension)
    {
        foreach (var candidate in All)
        {
            if (candidate.Key() == key)
            {
                dimension = candidate;
                return true;
            }
        }
        dimension = default;
        return false;
    }

    /// <summary>The dimensions named by <paramref name="keys"/>, each once, in the order first named; unknown keys throw.</summary>
    public static IReadOnlyList<Dimension> Parse(IEnumerable<string> keys) =>
        keys.Select(key => TryParse(key, out var d) ? d : throw new ArgumentException($"Unknown dimension '{key}'.", nameof(keys))).Distinct().ToArray();
}
