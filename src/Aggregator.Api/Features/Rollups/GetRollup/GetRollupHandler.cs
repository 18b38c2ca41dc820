using Aggregator.Api.Data;
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

public sealed class GetRollupHandler(AggregatorDbContext db, TimeProvider clock) : IQueryHandler<GetRollup, RollupResponse>
{
    private static string Expression(Dimension dimension) => dimension switch
    {
        Dimension.Province => "d.province_code::text",
        Dimension.Prefecture => "d.prefecture_code::text",
        Dimension.County => "a.division_code::text",
        Dimension.Agency => "a.code",
        Dimension.Sector => "a.sector",
        Dimension.Year => "r.year",
        Dimension.Applicant => "c.applicant",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

    public async ValueTask<RollupResponse> Handle(GetRollup request, CancellationToken cancellationToken)
    {
        var query = RollupSpec.From(request);
        var current = await Aggregate(query, cancellationToken);
        var rows = current.Select(g => g.Row).ToArray();
        if (query.Compare == RollupComparison.PreviousYear)
        {
            var earlier = await Aggregate(query with { YearFrom = query.YearFrom - 1, YearTo = query.YearTo - 1 }, cancellationToken);
            var byKey = earlier.ToDictionary(g => GroupKey(query, g.Row, yearShift: 0));
            rows = current.Select(g => WithPrevious(query, g, byKey.GetValueOrDefault(GroupKey(query, g.Row, yearShift: -1)))).ToArray();
        }
        rows = await WithReportingRates(query, rows, cancellationToken);
        return new RollupResponse(
            query.Metrics.Select(m => m.Code).ToArray(),
            query.GroupBy.Select(Dimensions.Key).ToArray(),
            query.Applicants.Select(a => a.Key()).ToArray(),
            await Named(rows, cancellationToken));
    }

    /// <summary>
    /// Sets each row's <c>reports</c> to the reports submitted in the group (of either edition, whatever metrics they
    /// carry), adds how many agency-years were expected and the share that reported, and adds the groups that have no
    /// cell of the metrics — expected but silent, or reporting in an edition without the metric — with values null.
    /// Years without a filter run from 2019 to the last completed year.
    /// </summary>
    private async Task<RollupRow[]> WithReportingRates(RollupSpec query, RollupRow[] rows, CancellationToken cancellationToken)
    {
        var dimensions = query.GroupBy.Where(d => d != Dimension.Applicant).ToArray();
        var keys = dimensions.Select((d, i) => $"{(d == Dimension.Year ? "y.year" : Expression(d))} AS g{i}").ToArray();
        var (filters, parameters) = Filtering.Sql(query.Filter, withYears: false);
        var active = Filtering.ActiveSql("y.year");
        filters.Add($"({active} OR r.id IS NOT NULL)");
        parameters.Add(new("firstYear", query.YearFrom ?? ReportYears.First));
        parameters.Add(new("lastYear", query.YearTo ?? ReportYears.LastCompleted(clock.GetUtcNow())));
        var groupBy = dimensions.Length == 0 ? "" : "GROUP BY " + string.Join(", ", dimensions.Select((_, i) => $"g{i}"));
        var sql = $"""
            SELECT {string.Join("", keys.Select(k => k + ", "))}count(*) FILTER (WHERE {active}) AS expected, count(r.id) AS submitted
            FROM agencies a
            JOIN divisions d ON d.code = a.division_code
            CROSS JOIN generate_series(@firstYear, @lastYear) AS y(year)
            LEFT JOIN reports r ON r.agency_id = a.id AND r.year = y.year AND r.current_revision_id IS NOT NULL
            WHERE {string.Join(" AND ", filters)}
            {groupBy}
            """;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var expected = new Dictionary<string, (int Expected, int Submitted)>();
        var silent = new List<RollupRow>();
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var n = dimensions.Length;
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = string.Join("\u001f", Enumerable.Range(0, n).Select(i => reader.GetValue(i).ToString()));
                expected[key] = ((int)reader.GetInt64(n), (int)reader.GetInt64(n + 1));
                if (n == query.GroupBy.Count)
                {
                    silent.Add(NewRow(query, reader));
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        var reported = rows.Select(r => GroupKey(query, r, 0)).ToHashSet();
        var nothingToCompare = query.Compare is null ? null : query.Metrics.ToDictionary(m => m.Code, _ => (decimal?)null);
        return rows.Concat(silent.Where(r => !reported.Contains(GroupKey(query, r, 0)))
                .Select(r => nothingToCompare is null ? r : r with { Previous = new(nothingToCompare), Change = new(nothingToCompare) }))
            .Select(row =>
            {
                var (count, submitted) = expected.GetValueOrDefault(GroupKey(query, row, 0, withApplicant: false));
                return row with { Reports = submitted, Expected = count, ReportingRate = count == 0 ? null : Math.Round((decimal)submitted / count, 4) };
            })
            .Order(new RowOrder(query.GroupBy))
            .ToArray();
    }

    /// <summary>
    /// A row with, per metric, how many of the group's reports carry it (are of an edition that has it), and when
    /// comparing, the editions of all the group's reports (whatever metrics they carry).
    /// </summary>
    private sealed record Group(RollupRow Row, Dictionary<string, int> Carrying)
    {
        public IReadOnlySet<string> ReportEditions { get; init; } = new HashSet<string>();
    }

    private async Task<List<Group>> Aggregate(RollupSpec query, CancellationToken cancellationToken)
    {
        var keys = query.GroupBy.Select((d, i) => $"{Expression(d)} AS g{i}").ToArray();
        var groupColumns = query.GroupBy.Select((_, i) => $"g{i}").ToArray();
        var (filters, parameters) = Filtering.Sql(query.Filter);
        filters.Add("c.metric_id = ANY(@metrics)");
        filters.Add("c.applicant = ANY(@applicants)");
        parameters.Add(new("metrics", query.Metrics.Select(m => m.Id).ToArray()));
        parameters.Add(new("applicants", query.Applicants.Select(a => (short)a).ToArray()));
        // Per group and metric: the sum, the blank cells, and the reports carrying the metric. A report has one cell per
        // metric and applicant column, and a group holds one column (the applicant is a key or the filter), so count(*)
        // counts reports. The reports per group come from WithReportingRates.
        var sql = $"""
            SELECT {string.Join("", keys.Select(k => k + ", "))}c.metric_id,
                   sum(c.value) AS total, count(*) - count(c.value) AS blanks, count(*) AS reports
            FROM report_cells c
            JOIN reports r ON r.id = c.report_id
            JOIN agencies a ON a.id = r.agency_id
            JOIN divisions d ON d.code = a.division_code
            WHERE {string.Join(" AND ", filters)}
            GROUP BY {string.Join("", groupColumns.Select(g => g + ", "))}c.metric_id
            """;

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var groups = new Dictionary<string, Group>();
            var n = query.GroupBy.Count;
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = string.Join("\u001f", Enumerable.Range(0, n).Select(i => reader.GetValue(i).ToString()));
                if (!groups.TryGetValue(key, out var group))
                {
                    group = new Group(NewRow(query, reader), new Dictionary<string, int>());
                    groups.Add(key, group);
                }
                var metric = MetricCatalogue.Find(reader.GetInt16(n))!;
                group.Row.Values[metric.Code] = reader.IsDBNull(n + 1) ? 0 : Numbers.Canonical(reader.GetDecimal(n + 1));
                group.Row.Blanks[metric.Code] = (int)reader.GetInt64(n + 2);
                group.Carrying[metric.Code] = (int)reader.GetInt64(n + 3);
            }
            await reader.DisposeAsync();
            if (query.Compare is null)
            {
                return groups.Values.ToList();
            }
            var editions = await EditionsByGroup(query, connection, cancellationToken);
            return groups.Values
                .Select(g => g with { ReportEditions = editions.GetValueOrDefault(GroupKey(query, g.Row, 0, withApplicant: false)) ?? new HashSet<string>() })
                .ToList();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The editions of the reports in each group, by the group's keys without the applicant.</summary>
    private static async Task<Dictionary<string, HashSet<string>>> EditionsByGroup(RollupSpec query, NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var dimensions = query.GroupBy.Where(d => d != Dimension.Applicant).ToArray();
        var (filters, parameters) = Filtering.Sql(query.Filter);
        var keys = dimensions.Select((d, i) => $"{Expression(d)} AS g{i}").ToArray();
        var groupBy = dimensions.Length == 0 ? "" : "GROUP BY " + string.Join(", ", dimensions.Select((_, i) => $"g{i}"));
        var sql = $"""
            SELECT {string.Join("", keys.Select(k => k + ", "))}array_agg(DISTINCT v.edition) AS editions
            FROM reports r
            JOIN revisions v ON v.id = r.current_revision_id
            JOIN agencies a ON a.id = r.agency_id
            JOIN divisions d ON d.code = a.division_code
            WHERE {(filters.Count == 0 ? "TRUE" : string.Join(" AND ", filters))}
            {groupBy}
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var editions = new Dictionary<string, HashSet<string>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = string.Join("\u001f", Enumerable.Range(0, dimensions.Length).Select(i => reader.GetValue(i).ToString()));
            editions[key] = reader.IsDBNull(dimensions.Length) ? [] : [.. reader.GetFieldValue<string[]>(dimensions.Length)];
        }
        return editions;
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

    private static bool OnlyOf(Group group, Metric metric) => group.ReportEditions.All(e => Editions.TryParse(e, out var edition) && metric.IsIn(edition));

    private static bool OnlyBlanks(Group group, string code) => group.Row.Blanks[code] == group.Carrying.GetValueOrDefault(code);

    private async Task<RollupRow[]> Named(RollupRow[] rows, CancellationToken cancellationToken)
    {
        var agencyCodes = rows.Select(r => r.Agency).OfType<string>().ToArray();
        var agencyNames = agencyCodes.Length == 0
            ? new Dictionary<string, string>()
            : await db.Agencies.AsNoTracking().Where(a => agencyCodes.Contains(a.Code)).ToDictionaryAsync(a => a.Code, a => a.Name, cancellationToken);
        return rows.Select(row => RegionGroup.Named(row) with { AgencyName = row.Agency is null ? null : agencyNames.GetValueOrDefault(row.Agency) }).ToArray();
    }

    private static RollupRow NewRow(RollupSpec query, NpgsqlDataReader reader)
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
