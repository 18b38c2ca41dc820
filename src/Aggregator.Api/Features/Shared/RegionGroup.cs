using System.Text.Json.Serialization;
using Aggregator.Api.Data.Divisions;
using Aggregator.Api.Infrastructure.Csv;
using Aggregator.Domain;

namespace Aggregator.Api.Features.Shared;

/// <summary>
/// The region and sector keys of a group (rollups, completeness), each code with its name beside it. Only the keys
/// the request grouped by are set; the others are left out of the JSON.
/// </summary>
public abstract record RegionGroup
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Province { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ProvinceName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Prefecture { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PrefectureName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? County { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? CountyName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Sector { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? SectorName { get; init; }

    /// <summary>The group with the names of its keys filled in.</summary>
    public static T Named<T>(T group) where T : RegionGroup =>
        (T)(group with
        {
            ProvinceName = DivisionDirectory.NameOf(group.Province),
            PrefectureName = DivisionDirectory.NameOf(group.Prefecture),
            CountyName = DivisionDirectory.NameOf(group.County),
            SectorName = SectorCatalogue.Find(group.Sector)?.Name,
        });

    /// <summary>The CSV columns of a region or sector dimension (code and name), or null for another dimension.</summary>
    public static (CsvColumn Column, Func<RegionGroup, string?> Field)[]? CsvColumns(Dimension dimension) => dimension switch
    {
        Dimension.Province => [(new("province", "省代码"), g => g.Province), (new("provinceName", "省"), g => g.ProvinceName)],
        Dimension.Prefecture => [(new("prefecture", "地市代码"), g => g.Prefecture), (new("prefectureName", "地市"), g => g.PrefectureName)],
        Dimension.County => [(new("county", "县区代码"), g => g.County), (new("countyName", "县区"), g => g.CountyName)],
        Dimension.Sector => [(new("sector", "行业代码"), g => g.Sector), (new("sectorName", "行业"), g => g.SectorName)],
        _ => null,
    };
}
