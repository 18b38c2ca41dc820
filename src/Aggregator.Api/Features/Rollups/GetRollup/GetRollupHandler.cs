using Aggregator.Api.Data;
using Aggregator.Api.Data.ReadModel;
using Aggregator.Api.Features.Shared;
using Aggregator.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Aggregator.Api.Features.Rollups.GetRollup;

/// <summary>What a rollup row can be compared with.</summary>
public enum RollupComparison
{
    /// <summary>The same group keys one year earlier, under the same filters.</summary>
    PreviousYear,
}

/// <summary>A validated rollup request in the domain's terms: what to sum, how to group, over which reports.</summary>
/// <param name="Applicants">The applicant columns to sum: one (default total), or all when grouping by applicant.</param>
/// <param name="Compare">
/// With <see cref="RollupComparison.PreviousYear"/> each row also carries the previous year's values and the change;
/// the validator ensures the groups have one year each (year in <paramref name="GroupBy"/>, or YearFrom = YearTo).
/// </param>
public sealed record RollupSpec(
    IReadOnlyList<Metric> Metrics,
    IReadOnlyList<Dimension> GroupBy,
    string? Division,
    string? Sector,
    int? YearFrom,
    int? YearTo,
    IReadOnlyList<Applicant> Applicants,
    RollupComparison? Compare = null)
{
    public ReportFilter Filter => new(Division, Sector, YearFrom, YearTo);

    public static RollupSpec From(GetRollup request)
    {
        var groupBy = Dimensions.Parse(QueryList.Items(request.GroupBy));
        Applicant? column = Domain.Applicants.TryParse(request.Applicant, out var parsed) ? parsed : null;
        IReadOnlyList<Applicant> columns = column is { } one ? [one]
            : groupBy.Contains(Dimension.Applicant) ? Domain.Applicants.All
            : [Applicant.Total];
        var filter = ReportFilter.Of(request.Division, request.Sector, request.YearFrom, request.YearTo);
        return new RollupSpec(
            QueryList.Items(request.Metric).Select(MetricCatalogue.Get).Distinct().ToArray(), groupBy,
            filter.Division, filter.Sector, filter.YearFrom, filter.YearTo, columns,
            request.Compare is null ? null : RollupComparison.PreviousYear);
    }
}

/// <summary>
/// Answers a rollup from the read model (<see cref="RollupSql"/>: the coarsest summary grain that holds the keys asked
/// for, plus the deltas not folded yet), or from the fact table when no grain holds them (by agency, county × sector).
/// Either way one query sums the cells and one counts the agency-years expected and the reports submitted.
/// </summary>
public sealed class GetRollupHandler(ReadDatabase reads, TimeProvider clock) : IQueryHandler<GetRollup, RollupResponse>
{
    public async ValueTask<RollupResponse> Handle(GetRollup request, CancellationToken cancellationToken)
    {
        // Answers are kept by data version: the database read must hold every change the version counts.
        var db = await reads.CaughtUpAsync(cancellationToken);
        var query = RollupSpec.From(request);
        var asOf = clock.GetUtcNow();
        var lastYear = ReportYears.LastCompleted(asOf);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var (current, grain) = await Groups(connection, query, lastYear, cancellationToken);
            if (query.Compare == RollupComparison.PreviousYear)
            {
                var (earlier, _) = await Groups(connection, query with { YearFrom = query.YearFrom - 1, YearTo = query.YearTo - 1 }, lastYear, cancellationToken);
                var byKey = earlier.ToDictionary(g => GroupKey(query, g.Row, yearShift: 0));
                current = current.Select(g => g with { Row = WithPrevious(query, g, byKey.GetValueOrDefault(GroupKey(query, g.Row, yearShift: -1))) }).ToList();
            }
            return new RollupResponse(
                query.Metrics.Select(m => m.Code).ToArray(),
                query.GroupBy.Select(Dimensions.Key).ToArray(),
                query.Applicants.Select(a => a.Key()).ToArray(),
                await Named(db, current.Select(g => g.Row).Order(new RowOrder(query.GroupBy)).ToArray(), cancellationToken),
                asOf,
                grain?.Name ?? "facts");
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// A row with, per metric, how many of the group's reports carry it (are of an edition that has it): when that is
    /// fewer than the group's reports, the group mixes editions for that metric.
    /// </summary>
    private sealed record Group(RollupRow Row, Dictionary<string, int> Carrying);

    /// <summary>
    /// The groups of a rollup: those with cells of the metrics, each with its reports submitted (of either edition,
    /// whatever metrics they carry), the agency-years expected and the share that reported; and the groups with no cell
    /// of the metrics — expected but silent, or reporting in an edition without the metric — with values null.
    /// Years without a filter run from 2019 to the last completed year.
    /// </summary>
    /// <returns>The groups, and the read model's grain that answered (null: the fact tables).</returns>
    private static async Task<(List<Group> Groups, RollupGrain? Grain)> Groups(NpgsqlConnection connection, RollupSpec query, int lastYear, CancellationToken cancellationToken)
    {
        var sql = RollupSql.For(query, lastYear);
        var groups = new Dictionary<string, Group>();
        await using (var sums = sql.Sums(connection))
        await using (var reader = await sums.ExecuteReaderAsync(cancellationToken))
        {
            var n = query.GroupBy.Count;
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = string.Join("\u001f", Enumerable.Range(0, n).Select(i => reader.GetValue(i).ToString()));
                if (!groups.TryGetValue(key, out var group))
                {
                    group = new Group(NewRow(query, query.GroupBy, reader), new Dictionary<string, int>());
                    groups.Add(key, group);
                }
                var metric = MetricCatalogue.Find(reader.GetInt16(n))!;
                group.Row.Values[metric.Code] = reader.IsDBNull(n + 1) ? 0 : Numbers.Canonical(reader.GetDecimal(n + 1));
                group.Row.Blanks[metric.Code] = (int)reader.GetInt64(n + 2);
                group.Carrying[metric.Code] = (int)reader.GetInt64(n + 3);
            }
        }

        var counted = new Dictionary<string, (int Expected, int Submitted)>();
        var silent = new List<Group>();
        var countKeys = RollupSql.CountKeys(query);
        await using (var counts = sql.Counts(connection))
        await using (var reader = await counts.ExecuteReaderAsync(cancellationToken))
        {
            var n = countKeys.Count;
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = string.Join("\u001f", Enumerable.Range(0, n).Select(i => reader.GetValue(i).ToString()));
                counted[key] = ((int)reader.GetInt64(n), (int)reader.GetInt64(n + 1));
                if (n == query.GroupBy.Count && !groups.ContainsKey(key))
                {
                    silent.Add(new Group(NewRow(query, countKeys, reader), new Dictionary<string, int>()));
                }
            }
        }
        var nothingToCompare = query.Compare is null ? null : query.Metrics.ToDictionary(m => m.Code, _ => (decimal?)null);
        return (groups.Values
            .Concat(silent.Select(g => nothingToCompare is null ? g : g with { Row = g.Row with { Previous = new(nothingToCompare), Change = new(nothingToCompare) } }))
            .Select(g =>
            {
                var (expected, submitted) = counted.GetValueOrDefault(GroupKey(query, g.Row, 0, withApplicant: false));
                return g with
                {
                    Row = g.Row with { Reports = submitted, Expected = expected, ReportingRate = expected == 0 ? null : Math.Round((decimal)submitted / expected, 4) },
                };
            })
            .ToList(), sql.Grain);
    }

    /// <summary>The group keys as one string; <paramref name="yearShift"/> −1 names the same group a year earlier.</summary>
    private static string GroupKey(RollupSpec query, RollupRow row, int yearShift, bool withApplicant = true) =>
        string.Join("\u001f", query.GroupBy.Where(d => withApplicant || d != Dimension.Applicant).Select(d => d switch
        {
            Dimension.Province => row.Province,
            Dimension.Prefecture => row.Prefecture,
            Dimension.County => row.County,
            Dimension.Agency => row.Agency,
            Dimension.Sector => row.Sector,
            Dimension.Year => (row.Year + yearShift).ToString(),
            Dimension.Applicant => row.Applicant,
            _ => throw new ArgumentOutOfRangeException(nameof(query)),
        }));

    private static RollupRow WithPrevious(RollupSpec query, Group current, Group? earlier)
    {
        var previous = new Dictionary<string, decimal?>();
        var change = new Dictionary<string, decimal?>();
        foreach (var metric in query.Metrics)
        {
            var code = metric.Code;
            // A metric of one edition sums over that edition's reports only: with reports of another edition in either
            // group, the two sums would cover different sets of reports.
            var comparable = earlier is not null
                && (metric.ComparesAcrossEditions || (OnlyOf(current, metric) && OnlyOf(earlier, metric)));
            var before = comparable ? earlier!.Row.Values[code] : null;
            var now = current.Row.Values[code];
            previous[code] = before;
            change[code] = before is { } b && now is { } v && !OnlyBlanks(current, code) && !OnlyBlanks(earlier!, code)
                ? Numbers.Canonical(v - b)
                : null;
        }
        return current.Row with { Previous = previous, Change = change };
    }

    /// <summary>Every report of the group carries the metric: none is of an edition without it.</summary>
    private static bool OnlyOf(Group group, Metric metric) => group.Carrying.GetValueOrDefault(metric.Code) == group.Row.Reports;

    private static bool OnlyBlanks(Group group, string code) => group.Row.Blanks[code] == group.Carrying.GetValueOrDefault(code);

    private static async Task<RollupRow[]> Named(AggregatorDbContext db, RollupRow[] rows, CancellationToken cancellationToken)
    {
        var agencyCodes = rows.Select(r => r.Agency).OfType<string>().ToArray();
        var agencyNames = agencyCodes.Length == 0
            ? new Dictionary<string, string>()
            : await db.Agencies.AsNoTracking().Where(a => agencyCodes.Contains(a.Code)).ToDictionaryAsync(a => a.Code, a => a.Name, cancellationToken);
        return rows.Select(row => RegionGroup.Named(row) with { AgencyName = row.Agency is null ? null : agencyNames.GetValueOrDefault(row.Agency) }).ToArray();
    }

    /// <summary>A row with the group keys read from the first columns of <paramref name="reader"/>, one per dimension of <paramref name="keys"/>.</summary>
    private static RollupRow NewRow(RollupSpec query, IReadOnlyList<Dimension> keys, NpgsqlDataReader reader)
    {
        var row = new RollupRow
        {
            Values = query.Metrics.ToDictionary(m => m.Code, _ => (decimal?)null),
            Blanks = query.Metrics.ToDictionary(m => m.Code, _ => 0),
            Reports = 0,
        };
        for (var i = 0; i < keys.Count; i++)
        {
            var value = reader.GetValue(i);
            row = keys[i] switch
            {
                Dimension.Province => row with { Province = (string)value },
                Dimension.Prefecture => row with { Prefecture = (string)value },
                Dimension.County => row with { County = (string)value },
                Dimension.Agency => row with { Agency = (string)value },
                Dimension.Sector => row with { Sector = (string)value },
                Dimension.Year => row with { Year = (int)value },
                Dimension.Applicant => row with { Applicant = ((Applicant)(short)value).Key() },
                _ => row,
            };
        }
        return row;
    }
}

/// <summary>Rows in the order of their keys as groupBy names them: codes and years ascending, applicants in template order.</summary>
internal sealed class RowOrder(IReadOnlyList<Dimension> groupBy) : IComparer<RollupRow>
{
    public int Compare(RollupRow? x, RollupRow? y)
    {
        foreach (var dimension in groupBy)
        {
            var order = dimension switch
            {
                Dimension.Year => Nullable.Compare(x!.Year, y!.Year),
                Dimension.Applicant => Nullable.Compare(Position(x!.Applicant), Position(y!.Applicant)),
                _ => string.CompareOrdinal(Key(dimension, x!), Key(dimension, y!)),
            };
            if (order != 0)
            {
                return order;
            }
        }
        return 0;
    }

    private static int? Position(string? applicant) => Applicants.TryParse(applicant, out var a) ? (int)a : null;

    private static string? Key(Dimension dimension, RollupRow row) => dimension switch
    {
        Dimension.Province => row.Province,
        Dimension.Prefecture => row.Prefecture,
        Dimension.County => row.County,
        Dimension.Agency => row.Agency,
        _ => row.Sector,
    };
}
