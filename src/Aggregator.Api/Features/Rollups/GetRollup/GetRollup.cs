using System.Text.Json.Serialization;
using Aggregator.Api.Data;
using Aggregator.Api.Data.Divisions;
using Aggregator.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Aggregator.Api.Features.Rollups.GetRollup;

/// <summary>What a rollup can group by.</summary>
public enum RollupDimension
{
    Province,
    Prefecture,
    County,
    Agency,
    Sector,
    Year,
    Applicant,
}

/// <summary>Sums of metrics over the latest revision of every report that matches the filters, per group.</summary>
/// <param name="Applicants">The applicant columns to sum: one (default total), or all when grouping by applicant.</param>
public sealed record GetRollup(
    IReadOnlyList<Metric> Metrics,
    IReadOnlyList<RollupDimension> GroupBy,
    string? Division,
    string? Sector,
    int? YearFrom,
    int? YearTo,
    IReadOnlyList<Applicant> Applicants) : IQuery<RollupResponse>;

public sealed record RollupResponse(IReadOnlyList<string> Metrics, IReadOnlyList<string> GroupBy, IReadOnlyList<string> Applicants, IReadOnlyList<RollupRow> Rows);

/// <summary>
/// One group. Only the keys named in groupBy are present, each with its name beside it (prefecture 654200,
/// prefectureName 塔城地区). An agency above a level rolls up under its own division at that level. <c>values</c> holds each metric's sum (blank cells counted
/// as 0; null when no report in the group carries the metric, e.g. a 2019-only metric in 2021), <c>blanks</c> how many
/// blank cells went into each sum, <c>reports</c> how many reports the group holds.
/// </summary>
public sealed record RollupRow
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Province { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ProvinceName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Prefecture { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PrefectureName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? County { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? CountyName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Agency { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? AgencyName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Sector { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? SectorName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Year { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Applicant { get; init; }
    public required Dictionary<string, decimal?> Values { get; init; }
    public required int Reports { get; init; }
    public required Dictionary<string, int> Blanks { get; init; }
}

public sealed class GetRollupHandler(AggregatorDbContext db) : IQueryHandler<GetRollup, RollupResponse>
{
    private static string Expression(RollupDimension dimension) => dimension switch
    {
        RollupDimension.Province => "d.province_code::text",
        RollupDimension.Prefecture => "d.prefecture_code::text",
        RollupDimension.County => "a.division_code::text",
        RollupDimension.Agency => "a.code",
        RollupDimension.Sector => "a.sector",
        RollupDimension.Year => "r.year",
        RollupDimension.Applicant => "c.applicant",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

    public async ValueTask<RollupResponse> Handle(GetRollup query, CancellationToken cancellationToken)
    {
        var keys = query.GroupBy.Select((d, i) => $"{Expression(d)} AS g{i}").ToArray();
        var groupColumns = query.GroupBy.Select((_, i) => $"g{i}").ToArray();
        var filters = new List<string> { "c.metric_id = ANY(@metrics)", "c.applicant = ANY(@applicants)" };
        var parameters = new List<NpgsqlParameter>
        {
            new("metrics", query.Metrics.Select(m => m.Id).ToArray()),
            new("applicants", query.Applicants.Select(a => (short)a).ToArray()),
        };
        if (query.Division is { } division)
        {
            filters.Add("a.division_code LIKE @division");
            parameters.Add(new("division", division + "%"));
        }
        if (query.Sector is { } sector)
        {
            filters.Add("a.sector = @sector");
            parameters.Add(new("sector", sector));
        }
        if (query.YearFrom is { } from)
        {
            filters.Add("r.year >= @yearFrom");
            parameters.Add(new("yearFrom", from));
        }
        if (query.YearTo is { } to)
        {
            filters.Add("r.year <= @yearTo");
            parameters.Add(new("yearTo", to));
        }
        // One pass: per group and metric the sums, and per group alone the number of distinct reports.
        var grouped = string.Join(", ", groupColumns);
        var sql = $"""
            SELECT {string.Join("", keys.Select(k => k + ", "))}c.metric_id, GROUPING(c.metric_id) AS per_group,
                   sum(c.value) AS total, count(*) - count(c.value) AS blanks, count(DISTINCT c.report_id) AS reports
            FROM report_cells c
            JOIN reports r ON r.id = c.report_id
            JOIN agencies a ON a.id = r.agency_id
            JOIN divisions d ON d.code = a.division_code
            WHERE {string.Join(" AND ", filters)}
            GROUP BY GROUPING SETS (({string.Join("", groupColumns.Select(g => g + ", "))}c.metric_id), ({grouped}))
            ORDER BY {(groupColumns.Length == 0 ? "1" : grouped)}
            """;

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new Dictionary<string, RollupRow>();
            var n = query.GroupBy.Count;
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = string.Join("\u001f", Enumerable.Range(0, n).Select(i => reader.GetValue(i).ToString()));
                if (!rows.TryGetValue(key, out var row))
                {
                    row = NewRow(query, reader);
                    rows.Add(key, row);
                }
                if (reader.GetInt32(n + 1) == 1)
                {
                    rows[key] = row with { Reports = (int)reader.GetInt64(n + 4) };
                    continue;
                }
                var metric = MetricCatalogue.Find(reader.GetInt16(n))!;
                row.Values[metric.Code] = reader.IsDBNull(n + 2) ? 0 : Numbers.Canonical(reader.GetDecimal(n + 2));
                row.Blanks[metric.Code] = (int)reader.GetInt64(n + 3);
            }
            await reader.DisposeAsync();
            return new RollupResponse(
                query.Metrics.Select(m => m.Code).ToArray(),
                query.GroupBy.Select(RollupDimensions.Key).ToArray(),
                query.Applicants.Select(a => a.Key()).ToArray(),
                await Named(rows.Values.ToArray(), cancellationToken));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<RollupRow[]> Named(RollupRow[] rows, CancellationToken cancellationToken)
    {
        var agencyCodes = rows.Select(r => r.Agency).OfType<string>().ToArray();
        var agencyNames = agencyCodes.Length == 0
            ? new Dictionary<string, string>()
            : await db.Agencies.AsNoTracking().Where(a => agencyCodes.Contains(a.Code)).ToDictionaryAsync(a => a.Code, a => a.Name, cancellationToken);
        return rows.Select(row => row with
        {
            ProvinceName = DivisionDirectory.NameOf(row.Province),
            PrefectureName = DivisionDirectory.NameOf(row.Prefecture),
            CountyName = DivisionDirectory.NameOf(row.County),
            AgencyName = row.Agency is null ? null : agencyNames.GetValueOrDefault(row.Agency),
            SectorName = SectorCatalogue.Find(row.Sector)?.Name,
        }).ToArray();
    }

    private static RollupRow NewRow(GetRollup query, NpgsqlDataReader reader)
    {
        var row = new RollupRow
        {
            Values = query.Metrics.ToDictionary(m => m.Code, _ => (decimal?)null),
            Blanks = query.Metrics.ToDictionary(m => m.Code, _ => 0),
            Reports = 0,
        };
        for (var i = 0; i < query.GroupBy.Count; i++)
        {
            var value = reader.GetValue(i);
            row = query.GroupBy[i] switch
            {
                RollupDimension.Province => row with { Province = (string)value },
                RollupDimension.Prefecture => row with { Prefecture = (string)value },
                RollupDimension.County => row with { County = (string)value },
                RollupDimension.Agency => row with { Agency = (string)value },
                RollupDimension.Sector => row with { Sector = (string)value },
                RollupDimension.Year => row with { Year = (int)value },
                RollupDimension.Applicant => row with { Applicant = ((Applicant)(short)value).Key() },
                _ => row,
            };
        }
        return row;
    }
}

public static class RollupDimensions
{
    public static readonly IReadOnlyList<RollupDimension> All = Enum.GetValues<RollupDimension>();

    public static string Key(this RollupDimension dimension) => dimension.ToString().ToLowerInvariant();

    public static bool TryParse(string key, out RollupDimension dimension)
    {
        dimension = All.FirstOrDefault(d => d.Key() == key);
        return All.Any(d => d.Key() == key);
    }
}
