using System.Data;
using Npgsql;

namespace Aggregator.Api.Data.ReadModel;

/// <summary>
/// The rollup read model and how it is kept. <c>rollup_cells</c> holds, per grain (<see cref="RollupGrain"/>), year,
/// region and sector keys, metric and applicant column: the sum of the cells (blanks as 0), the blank cells and the
/// cells (reports carrying the metric). <c>rollup_reports</c> holds the reports submitted and <c>rollup_agencies</c>
/// the agencies registered per group and active years, from which queries count the agency-years expected.
/// <para>
/// <see cref="FoldAsync"/> moves the delta queue into them in batches (one folder at a time, under an advisory lock);
/// <see cref="RebuildAsync"/> computes them anew from the fact tables. Both go through the same projection, so a
/// rebuild equals what the folds built. Queries add the deltas not folded yet (<see cref="PendingView"/>), so an
/// answer includes every committed submission whether or not it has been folded.
/// </para>
/// </summary>
public static class RollupProjection
{
    /// <summary>The advisory lock held by the one folder (or rebuild) at work.</summary>
    private const long FoldLock = 0x526f6c6c7570; // "Rollup"

    /// <summary>The keys of a place: an agency's region at every level and its sector, plus its active years (0: open).</summary>
    private const string Place = """
        d.province_code::varchar AS province, d.prefecture_code::varchar AS prefecture, left(a.division_code, 4)::varchar AS d4,
        a.division_code::varchar AS county, a.sector::varchar AS sector,
        coalesce(a.active_from, 0)::smallint AS active_from, coalesce(a.active_to, 0)::smallint AS active_to
        """;

    /// <summary>
    /// The deltas not folded yet, which queries read beside the summary tables. Each carries the place of its agency
    /// (taken when it was written: agencies do not move), so reading them joins nothing.
    /// </summary>
    public const string PendingView = "rollup_deltas";

    /// <summary>Folds up to <paramref name="max"/> deltas, oldest first; 0 when none is queued or another folder is at work.</summary>
    public static async Task<int> FoldAsync(NpgsqlConnection connection, int max, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        if (!await TryLock(connection, cancellationToken))
        {
            return 0;
        }
        await Execute(connection, cancellationToken,
            "CREATE TEMP TABLE rollup_batch ON COMMIT DROP AS SELECT * FROM rollup_deltas WHERE false",
            $"""
            WITH taken AS (DELETE FROM rollup_deltas WHERE id IN (SELECT id FROM rollup_deltas ORDER BY id LIMIT {max}) RETURNING *)
            INSERT INTO rollup_batch SELECT * FROM taken
            """);
        var folded = Convert.ToInt32(await Scalar(connection, "SELECT count(*) FROM rollup_batch", cancellationToken));
        if (folded > 0)
        {
            await Execute(connection, cancellationToken, Project(
                cells: """
                    (SELECT b.year, b.province, b.prefecture, b.d4, b.county, b.sector, u.metric_id, u.applicant, u.total, u.blanks, u.cells
                     FROM rollup_batch b CROSS JOIN LATERAL unnest(b.metric_ids, b.applicants, b.totals, b.blanks, b.cells)
                          AS u(metric_id, applicant, total, blanks, cells)
                     WHERE b.metric_ids IS NOT NULL)
                    """,
                reports: "(SELECT year, province, prefecture, d4, county, sector, reports FROM rollup_batch WHERE reports <> 0)",
                agencies: "(SELECT province, prefecture, d4, county, sector, active_from, active_to, agencies FROM rollup_batch WHERE agencies <> 0)"));
            await Execute(connection, cancellationToken, "UPDATE rollup_state SET folded = folded + " + folded + ", folded_at = now()");
        }
        await transaction.CommitAsync(cancellationToken);
        return folded;
    }

    /// <summary>
    /// Computes the read model anew from the fact tables (cells of current revisions, reports, agencies) and drops the
    /// deltas those already hold, in one snapshot: a submission committed meanwhile stays queued and is folded later.
    /// </summary>
    public static async Task RebuildAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await Execute(connection, cancellationToken, $"SELECT pg_advisory_xact_lock({FoldLock})");
        await Execute(connection, cancellationToken, RebuildStatements.ToArray());
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The <c>rebuild-rollups</c> command: a rebuild on the configured database, with what it took and holds.</summary>
    public static async Task<int> RebuildCommandAsync(string connectionString, TextWriter output, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await output.WriteLineAsync("Rebuilding the rollup read model from the stored cells …");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await RebuildAsync(connection, cancellationToken);
        var rows = await Scalar(connection, "SELECT (SELECT count(*) FROM rollup_cells) || ' sums, ' || (SELECT count(*) FROM rollup_reports) || ' report counts, ' || " +
                                            "(SELECT count(*) FROM rollup_agencies) || ' agency counts'", cancellationToken);
        await output.WriteLineAsync($"Rebuilt in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s: {rows}.");
        return 0;
    }

    /// <summary>The statements of a rebuild, to run in one transaction (the migration that creates the read model runs them too).</summary>
    public static IReadOnlyList<string> RebuildStatements =>
    [
        "DELETE FROM rollup_deltas",
        "TRUNCATE rollup_cells, rollup_reports, rollup_agencies",
        .. Project(
            cells: $"""
                (SELECT c.year::smallint AS year, {Place}, c.metric_id, c.applicant, coalesce(c.value, 0) AS total,
                        (c.value IS NULL)::int AS blanks, 1 AS cells
                 FROM report_cells c JOIN agencies a ON a.id = c.agency_id JOIN divisions d ON d.code = a.division_code)
                """,
            reports: $"""
                (SELECT r.year::smallint AS year, {Place}, 1 AS reports
                 FROM reports r JOIN agencies a ON a.id = r.agency_id JOIN divisions d ON d.code = a.division_code
                 WHERE r.current_revision IS NOT NULL)
                """,
            agencies: $"(SELECT {Place}, 1 AS agencies FROM agencies a JOIN divisions d ON d.code = a.division_code)"),
        "UPDATE rollup_state SET rebuilt_at = now(), folded_at = now()",
    ];

    /// <summary>SQL that creates the read model's tables and view (run by the migration).</summary>
    public static IReadOnlyList<string> CreateStatements =>
    [
        """
        CREATE TABLE rollup_deltas (
            id bigserial PRIMARY KEY,
            agency_id integer NOT NULL REFERENCES agencies (id),
            year smallint,
            province varchar(6) NOT NULL, prefecture varchar(6) NOT NULL, d4 varchar(4) NOT NULL, county varchar(6) NOT NULL, sector varchar(32) NOT NULL,
            active_from smallint NOT NULL, active_to smallint NOT NULL,
            reports smallint NOT NULL,
            agencies smallint NOT NULL,
            metric_ids smallint[], applicants smallint[], totals numeric[], blanks integer[], cells integer[])
        """,
        """
        CREATE TABLE rollup_cells (
            grain smallint NOT NULL, year smallint NOT NULL,
            province varchar(6) NOT NULL, prefecture varchar(6) NOT NULL, d4 varchar(4) NOT NULL, county varchar(6) NOT NULL, sector varchar(32) NOT NULL,
            metric_id smallint NOT NULL, applicant smallint NOT NULL,
            total numeric NOT NULL, blanks integer NOT NULL, cells integer NOT NULL,
            PRIMARY KEY (grain, metric_id, applicant, province, d4, county, sector, prefecture, year))
        """,
        """
        CREATE TABLE rollup_reports (
            grain smallint NOT NULL, year smallint NOT NULL,
            province varchar(6) NOT NULL, prefecture varchar(6) NOT NULL, d4 varchar(4) NOT NULL, county varchar(6) NOT NULL, sector varchar(32) NOT NULL,
            reports integer NOT NULL,
            PRIMARY KEY (grain, province, d4, county, sector, prefecture, year))
        """,
        """
        CREATE TABLE rollup_agencies (
            grain smallint NOT NULL,
            province varchar(6) NOT NULL, prefecture varchar(6) NOT NULL, d4 varchar(4) NOT NULL, county varchar(6) NOT NULL, sector varchar(32) NOT NULL,
            active_from smallint NOT NULL, active_to smallint NOT NULL,
            agencies integer NOT NULL,
            PRIMARY KEY (grain, province, d4, county, sector, prefecture, active_from, active_to))
        """,
        "CREATE TABLE rollup_state (id integer PRIMARY KEY CHECK (id = 1), folded bigint NOT NULL, folded_at timestamptz NOT NULL, rebuilt_at timestamptz)",
        "INSERT INTO rollup_state (id, folded, folded_at) VALUES (1, 0, now())",
    ];

    /// <summary>
    /// The statements that add a source of cells, reports and agencies to the summary tables at every grain. Cells are
    /// aggregated twice from the source — to the county and to province × sector — and the coarser grains from those,
    /// so a large source (a rebuild over every cell) is read twice, not once per grain.
    /// </summary>
    private static string[] Project(string cells, string reports, string agencies) =>
    [
        $"""
        CREATE TEMP TABLE rollup_by_county ON COMMIT DROP AS
        SELECT year, province, prefecture, d4, county, metric_id, applicant, sum(total) AS total, sum(blanks)::int AS blanks, sum(cells)::int AS cells
        FROM {cells} s GROUP BY year, province, prefecture, d4, county, metric_id, applicant
        """,
        $"""
        CREATE TEMP TABLE rollup_by_province_sector ON COMMIT DROP AS
        SELECT year, province, sector, metric_id, applicant, sum(total) AS total, sum(blanks)::int AS blanks, sum(cells)::int AS cells
        FROM {cells} s GROUP BY year, province, sector, metric_id, applicant
        """,
        AddCells(3, "rollup_by_county", "province", "prefecture", "d4", "county", "''"),
        AddCells(2, "rollup_by_county", "province", "prefecture", "d4", "''", "''"),
        AddCells(1, "rollup_by_county", "province", "''", "''", "''", "''"),
        AddCells(0, "rollup_by_county", "''", "''", "''", "''", "''"),
        AddCells(5, "rollup_by_province_sector", "province", "''", "''", "''", "sector"),
        AddCells(4, "rollup_by_province_sector", "''", "''", "''", "''", "sector"),
        "DROP TABLE rollup_by_county, rollup_by_province_sector",
        $"""
        INSERT INTO rollup_reports (grain, year, province, prefecture, d4, county, sector, reports)
        SELECT g.grain, s.year, {Masked("s")}, sum(s.reports)::int
        FROM {reports} s CROSS JOIN ({RollupGrain.ValuesSql}) AS g(grain, province, prefecture, county, sector)
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (grain, province, d4, county, sector, prefecture, year) DO UPDATE SET reports = rollup_reports.reports + EXCLUDED.reports
        """,
        $"""
        INSERT INTO rollup_agencies (grain, province, prefecture, d4, county, sector, active_from, active_to, agencies)
        SELECT g.grain, {Masked("s")}, s.active_from, s.active_to, sum(s.agencies)::int
        FROM {agencies} s CROSS JOIN ({RollupGrain.ValuesSql}) AS g(grain, province, prefecture, county, sector)
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT (grain, province, d4, county, sector, prefecture, active_from, active_to) DO UPDATE SET agencies = rollup_agencies.agencies + EXCLUDED.agencies
        """,
    ];

    /// <summary>The region and sector keys of source <paramref name="s"/>, blank where grain <c>g</c> does not keep them.</summary>
    private static string Masked(string s) =>
        $"CASE WHEN g.province THEN {s}.province ELSE '' END, CASE WHEN g.prefecture THEN {s}.prefecture ELSE '' END, " +
        $"CASE WHEN g.prefecture THEN {s}.d4 ELSE '' END, CASE WHEN g.county THEN {s}.county ELSE '' END, CASE WHEN g.sector THEN {s}.sector ELSE '' END";

    private static string AddCells(short grain, string from, string province, string prefecture, string d4, string county, string sector) => $"""
        INSERT INTO rollup_cells (grain, year, province, prefecture, d4, county, sector, metric_id, applicant, total, blanks, cells)
        SELECT {grain}, year, {province}, {prefecture}, {d4}, {county}, {sector}, metric_id, applicant, sum(total), sum(blanks), sum(cells)
        FROM {from}
        GROUP BY year, {Keys(province, prefecture, d4, county, sector)}metric_id, applicant
        ON CONFLICT (grain, metric_id, applicant, province, d4, county, sector, prefecture, year) DO UPDATE
        SET total = rollup_cells.total + EXCLUDED.total, blanks = rollup_cells.blanks + EXCLUDED.blanks, cells = rollup_cells.cells + EXCLUDED.cells
        """;

    private static string Keys(params string[] columns) => string.Concat(columns.Where(c => c != "''").Select(c => c + ", "));

    private static async Task<bool> TryLock(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (bool)(await Scalar(connection, $"SELECT pg_try_advisory_xact_lock({FoldLock})", cancellationToken))!;

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task Execute(NpgsqlConnection connection, CancellationToken cancellationToken, params string[] statements)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        }
        batch.Timeout = 0;
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
