using Aggregator.Domain;

namespace Aggregator.Scale;

/// <summary>A benchmark agency: who it is and how busy (its scale multiplies every count it reports).</summary>
public sealed record BenchAgency(int Index, string Code, string Name, Division Division, Sector Sector, double Scale);

/// <summary>One report of the data set: the agency and the year, its place in load order.</summary>
public readonly record struct BenchReport(long Position, BenchAgency Agency, int Year);

/// <summary>
/// The deterministic national data set: agencies per county × sector (each county a seeded subset of the sectors),
/// prefecture- and province-level departments, and one report per agency and year from 2019 to the last completed
/// year. Agencies are put in a seeded order spread over the whole country and their reports follow agency by agency,
/// so the first N reports are a national sample at every size and growing N only appends.
/// </summary>
public sealed class NationalDataSet
{
    // Share of sectors an agency exists for, by level: ~42 agencies per county, prefecture and province → ~140k agencies.
    private const double CountySectorShare = 0.95;
    private const double PrefectureSectorShare = 0.95;

    public NationalDataSet(long seed, int lastYear, IReadOnlyList<Division> divisions)
    {
        Seed = seed;
        LastYear = lastYear;
        var agencies = new List<BenchAgency>();
        foreach (var division in divisions)
        {
            var share = division.Level switch { "county" => CountySectorShare, "prefecture" => PrefectureSectorShare, _ => 1.0 };
            var pick = Seeded.For(seed, Seeded.Key("sectors"), Seeded.Key(division.Code));
            foreach (var sector in SectorCatalogue.All)
            {
                if (sector.Code != "government" && !pick.Chance(share))
                {
                    continue;
                }
                var size = Seeded.For(seed, Seeded.Key("scale"), Seeded.Key(division.Code), Seeded.Key(sector.Code));
                var levelFactor = division.Level switch { "county" => 1.0, "prefecture" => 4.0, _ => 12.0 };
                agencies.Add(new BenchAgency(0, $"b-{division.Code}-{sector.Code}", Name(division, sector), division, sector,
                    levelFactor * size.LogNormal(0, 1.1)));
            }
        }
        // A seeded shuffle (Fisher–Yates), so any prefix of the load order covers the country.
        var order = Seeded.For(seed, Seeded.Key("order"));
        for (var i = agencies.Count - 1; i > 0; i--)
        {
            var j = (int)(order.Next() % (ulong)(i + 1));
            (agencies[i], agencies[j]) = (agencies[j], agencies[i]);
        }
        Agencies = agencies.Select((a, i) => a with { Index = i }).ToArray();
        ByCode = Agencies.ToDictionary(a => a.Code, StringComparer.Ordinal);
    }

    public long Seed { get; }

    public int LastYear { get; }

    public int YearsPerAgency => LastYear - ReportYears.First + 1;

    public IReadOnlyList<BenchAgency> Agencies { get; }

    public IReadOnlyDictionary<string, BenchAgency> ByCode { get; }

    public long Size => (long)Agencies.Count * YearsPerAgency;

    /// <summary>The report at a place in load order.</summary>
    public BenchReport ReportAt(long position) =>
        new(position, Agencies[(int)(position / YearsPerAgency)], ReportYears.First + (int)(position % YearsPerAgency));

    /// <summary>The agencies whose reports the first <paramref name="reports"/> positions hold.</summary>
    public int AgenciesFor(long reports) => (int)Math.Min(Agencies.Count, (reports + YearsPerAgency - 1) / YearsPerAgency);

    public ReportDocument DocumentOf(BenchReport report) => ReportGenerator.Generate(Seed, report.Agency, report.Year);

    private static string Name(Division division, Sector sector) => sector.Code switch
    {
        "government" => division.Name + "人民政府",
        "other" => division.Name + "机关事务管理局",
        _ => division.Name + sector.Name + "局",
    };
}
