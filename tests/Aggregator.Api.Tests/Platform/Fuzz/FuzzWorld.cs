namespace Aggregator.Api.Tests.Platform.Fuzz;

/// <summary>An agency registered before the run, and the bureau key that may write it (if one was issued).</summary>
public sealed record FuzzAgency(string Code, string Division, string Sector, string? BureauKey);

/// <summary>
/// What the requests are made of: the live API's port and keys, and the valid values read from its catalogue
/// endpoints and the fixtures before the run (agencies, divisions, sectors, metrics, years, documents, published reports).
/// </summary>
public sealed record FuzzWorld
{
    public required int Port { get; init; }
    public required string AdminKey { get; init; }

    /// <summary>A region key for 塔城地区 (6542), where the first three agencies are.</summary>
    public required string RegionKey { get; init; }

    public required IReadOnlyList<FuzzAgency> Agencies { get; init; }

    /// <summary>Keys issued before the run for the fuzz to revoke (and to use, revoked or not).</summary>
    public required IReadOnlyList<(string Id, string Key)> SpareKeys { get; init; }

    public required IReadOnlyList<string> Metrics { get; init; }
    public required IReadOnlyList<string> Sectors { get; init; }

    /// <summary>6-digit division codes that exist.</summary>
    public required IReadOnlyList<string> Divisions { get; init; }

    public required int LastYear { get; init; }

    /// <summary>Report documents (JSON) of the 2019 edition and of the 2021 edition.</summary>
    public required IReadOnlyList<string> Documents2019 { get; init; }
    public required IReadOnlyList<string> Documents2021 { get; init; }

    /// <summary>Published reports to import: bytes and media type.</summary>
    public required IReadOnlyList<(string Name, byte[] Bytes, string MediaType)> Published { get; init; }

    public const int FirstYear = 2019;

    public static readonly string[] Dimensions = ["province", "prefecture", "county", "agency", "sector", "year", "applicant"];
    public static readonly string[] Applicants = ["naturalPerson", "commercial", "research", "publicInterest", "legalService", "otherOrganization", "total"];
}
