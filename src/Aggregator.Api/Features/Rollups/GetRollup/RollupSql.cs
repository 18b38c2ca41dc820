using Aggregator.Api.Data;
using Aggregator.Api.Data.ReadModel;
using Aggregator.Domain;
using Npgsql;

namespace Aggregator.Api.Features.Rollups.GetRollup;

/// <summary>
/// The two statements of a rollup. <see cref="Sums"/> yields, per group (columns g0…) and metric, the sum (blanks as
/// 0), the blank cells and the cells (reports carrying the metric); <see cref="Counts"/> yields, per group without
/// the applicant key, the agency-years expected and the reports submitted. On a summary grain both read the grain's
/// rows plus the deltas not folded yet; without one, the fact tables. Every value is a parameter; every expression
/// comes from the fixed lists here.
/// </summary>
public sealed class RollupSql
{
    private readonly string sums;
    private readonly string counts;
    private readonly List<(string Name, object Value)> parameters = [];

    private RollupSql(string sums, string counts, IEnumerable<(string, object)> parameters)
    {
        this.sums = sums;
        this.counts = counts;
        this.parameters.AddRange(parameters);
    }

    /// <summary>The read model's grain that answers the query, or null for the fact tables.</summary>
    public RollupGrain? Grain { get; private init; }

    /// <summary>The dimensions of <see cref="Counts"/>: the query's, less the applicant.</summary>
    public static IReadOnlyList<Dimension> CountKeys(RollupSpec query) => query.GroupBy.Where(d => d != Dimension.Applicant).ToArray();

    public NpgsqlCommand Sums(NpgsqlConnection connection) => Command(sums, connection);

    public NpgsqlCommand Counts(NpgsqlConnection connection) => Command(counts, connection);

    private NpgsqlCommand Command(string sql, NpgsqlConnection connection)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter(name, value));
        }
        return command;
    }

    public static RollupSql For(RollupSpec query, int lastYear)
    {
        var parameters = new List<(string, object)>
        {
            ("metrics", query.Metrics.Select(m => m.Id).ToArray()),
            ("applicants", query.Applicants.Select(a => (short)a).ToArray()),
            ("firstYear", query.YearFrom ?? ReportYears.First),
            ("lastYear", query.YearTo ?? lastYear),
            ("yearFrom", query.YearFrom ?? short.MinValue),
            ("yearTo", query.YearTo ?? short.MaxValue),
        };
        return RollupGrain.For(query.GroupBy, query.Filter) is { } grain ? OnSummary(query, grain, parameters) : OnFacts(query, parameters);
    }

    private static string Select(IEnumerable<string> keys) => string.Concat(keys.Select((k, i) => $"{k} AS g{i}, "));

    private static string GroupBy(int count, string then = "") =>
        count == 0 && then.Length == 0 ? "" : "GROUP BY " + string.Join(", ", Enumerable.Range(0, count).Select(i => $"g{i}").Append(then).Where(c => c.Length > 0));

    private static string FullJoin(int count) =>
        $"""
        SELECT {string.Concat(Enumerable.Range(0, count).Select(i => $"coalesce(e.g{i}, s.g{i}) AS g{i}, "))}coalesce(e.expected, 0)::bigint, coalesce(s.submitted, 0)::bigint
        FROM expected e FULL JOIN submitted s ON {(count == 0 ? "TRUE" : string.Join(" AND ", Enumerable.Range(0, count).Select(i => $"e.g{i} = s.g{i}")))}
        """;

    /// <summary>On a summary grain: the grain's rows and the pending deltas have the same key columns, so one set of conditions serves both.</summary>
    private static RollupSql OnSummary(RollupSpec query, RollupGrain grain, List<(string, object)> parameters)
    {
        var conditions = new List<string>();
        if (query.Division is { } division)
        {
            conditions.Add("province = @province");
            parameters.Add(("province", division[..2] + "0000"));
            if (division.Length >= 4)
            {
                conditions.Add("d4 = @d4");
                parameters.Add(("d4", division[..4]));
            }
            if (division.Length == 6)
            {
                conditions.Add("county = @county");
                parameters.Add(("county", division));
            }
        }
        if (query.Sector is { } sector)
        {
            conditions.Add("sector = @sector");
            parameters.Add(("sector", sector));
        }
        var where = string.Concat(conditions.Select(c => " AND " + c));
        parameters.Add(("grain", grain.Id));
        string Key(Dimension d, string year) => d switch
        {
            Dimension.Year => year,
            _ => d.Key(),
        };
        var sumKeys = query.GroupBy.Select(d => Key(d, "year::int")).ToArray();
        var countKeys = CountKeys(query);
        string SlotKey(Dimension d) => d switch
        {
            Dimension.Year => "g.year::int",
            Dimension.Applicant => "q.applicant",
            _ => "g." + d.Key(),
        };
        var groupWhere = where.Replace(" AND ", " AND g.");
        // A row holds every slot's sum and blanks; a metric's cells are the row's reports of the editions that carry it.
        // Queued deltas have the same shape, so the rows and the deltas not folded yet are read alike.
        string Rows(string table) => $"""
                SELECT {string.Concat(query.GroupBy.Select((d, i) => $"{SlotKey(d)} AS k{i}, "))}q.metric_id, g.totals[q.slot] AS total, g.blanks[q.slot] AS blanks,
                       CASE WHEN q.in_2019 THEN g.reports_2019 ELSE 0 END + CASE WHEN q.in_2021 THEN g.reports_2021 ELSE 0 END AS cells
                FROM {table} g
                CROSS JOIN (SELECT slot, metric_id, applicant, in_2019, in_2021 FROM rollup_slots WHERE metric_id = ANY(@metrics) AND applicant = ANY(@applicants)) q
            """;
        var sums = $"""
            SELECT {Select(Enumerable.Range(0, sumKeys.Length).Select(i => $"x.k{i}"))}x.metric_id, sum(x.total) AS total, sum(x.blanks)::bigint AS blanks, sum(x.cells)::bigint AS cells
            FROM (
            {Rows("rollup_groups")}
                WHERE g.grain = @grain AND g.year BETWEEN @yearFrom AND @yearTo{groupWhere}
                UNION ALL
            {Rows(RollupProjection.PendingView)}
                WHERE g.totals IS NOT NULL AND g.year BETWEEN @yearFrom AND @yearTo{groupWhere}
            ) x
            {GroupBy(sumKeys.Length, "x.metric_id")}
            HAVING sum(x.cells) <> 0
            """;
        var counts = $"""
            WITH expected AS (
                SELECT {Select(countKeys.Select(d => Key(d, "y.year")))}sum(x.agencies) AS expected
                FROM (
                    SELECT province, prefecture, county, sector, active_from, active_to, agencies FROM rollup_agencies WHERE grain = @grain{where}
                    UNION ALL
                    SELECT province, prefecture, county, sector, active_from, active_to, agencies FROM {RollupProjection.PendingView} WHERE agencies <> 0{where}
                ) x
                JOIN generate_series(@firstYear, @lastYear) AS y(year)
                  ON (x.active_from = 0 OR x.active_from <= y.year) AND (x.active_to = 0 OR x.active_to >= y.year)
                {GroupBy(countKeys.Count)}
            ), submitted AS (
                SELECT {Select(countKeys.Select(d => Key(d, "year::int")))}sum(x.reports) AS submitted
                FROM (
                    SELECT province, prefecture, county, sector, year, reports_2019 + reports_2021 AS reports
                    FROM rollup_groups WHERE grain = @grain AND year BETWEEN @firstYear AND @lastYear{where}
                    UNION ALL
                    SELECT province, prefecture, county, sector, year, reports_2019 + reports_2021 AS reports
                    FROM {RollupProjection.PendingView} WHERE reports_2019 + reports_2021 <> 0 AND year BETWEEN @firstYear AND @lastYear{where}
                ) x
                {GroupBy(countKeys.Count)}
            )
            {FullJoin(countKeys.Count)}
            """;
        return new RollupSql(sums, counts, parameters) { Grain = grain };
    }

    /// <summary>On the fact tables: the cells of current revisions, and the agencies with their reports year by year.</summary>
    private static RollupSql OnFacts(RollupSpec query, List<(string, object)> parameters)
    {
        string Key(Dimension d, string year) => d switch
        {
            Dimension.Province => "d.province_code::text",
            Dimension.Prefecture => "d.prefecture_code::text",
            Dimension.County => "a.division_code::text",
            Dimension.Agency => "a.code",
            Dimension.Sector => "a.sector",
            Dimension.Year => year,
            Dimension.Applicant => "c.applicant",
            _ => throw new ArgumentOutOfRangeException(nameof(d)),
        };
        var (cellFilters, cellParameters) = Filtering.Sql(query.Filter with { YearFrom = null, YearTo = null }, year: null);
        parameters.AddRange(cellParameters.Select(p => (p.ParameterName, p.Value!)));
        var where = string.Concat(cellFilters.Select(c => " AND " + c));
        var sumKeys = query.GroupBy.Select(d => Key(d, "c.year")).ToArray();
        var countKeys = CountKeys(query);
        var sums = $"""
            SELECT {Select(sumKeys)}c.metric_id, sum(c.value) AS total, count(*) - count(c.value) AS blanks, count(*) AS cells
            FROM report_cells c
            JOIN agencies a ON a.id = c.agency_id
            JOIN divisions d ON d.code = a.division_code
            WHERE c.metric_id = ANY(@metrics) AND c.applicant = ANY(@applicants) AND c.year BETWEEN @yearFrom AND @yearTo{where}
            {GroupBy(sumKeys.Length, "c.metric_id")}
            """;
        var active = Filtering.ActiveSql("y.year");
        var counts = $"""
            WITH expected AS (
                SELECT {Select(countKeys.Select(d => Key(d, "y.year")))}count(*) AS expected
                FROM agencies a
                JOIN divisions d ON d.code = a.division_code
                JOIN generate_series(@firstYear, @lastYear) AS y(year) ON {active}
                WHERE TRUE{where}
                {GroupBy(countKeys.Count)}
            ), submitted AS (
                SELECT {Select(countKeys.Select(d => Key(d, "r.year")))}count(*) AS submitted
                FROM reports r
                JOIN agencies a ON a.id = r.agency_id
                JOIN divisions d ON d.code = a.division_code
                WHERE r.current_revision IS NOT NULL AND r.year BETWEEN @firstYear AND @lastYear{where}
                {GroupBy(countKeys.Count)}
            )
            {FullJoin(countKeys.Count)}
            """;
        return new RollupSql(sums, counts, parameters);
    }
}
