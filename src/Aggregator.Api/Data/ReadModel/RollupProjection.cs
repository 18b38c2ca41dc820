using System.Data;
using Npgsql;

namespace Aggregator.Api.Data.ReadModel;

/// <summary>
/// The rollup read model and how it is kept. <c>rollup_groups</c> holds one row per grain (<see cref="RollupGrain"/>),
/// year and region/sector keys: the reports submitted per edition, and per slot (<see cref="RollupSlots"/>: metric and
/// applicant column) the sum of the cells (blanks as 0) and the blank cells, as arrays. A metric's cells are the
/// reports of the editions that carry it, so they need no array of their own. <c>rollup_agencies</c> holds the
/// agencies registered per group and active years, from which queries count the agency-years expected.
/// <para>
/// <see cref="FoldAsync"/> moves the delta queue into them in batches (one folder at a time, under an advisory lock):
/// each delta becomes full arrays, and each group of a batch one row update, however many metrics it touches.
/// <see cref="RebuildAsync"/> turns the fact tables into one delta per report and folds those, so a rebuild equals
/// what the folds built. Queries add the deltas not folded yet (<see cref="PendingView"/>), so an answer includes
/// every committed submission whether or not it has been folded.
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
            await Execute(connection, cancellationToken, [.. Project, "UPDATE rollup_state SET folded = folded + " + folded + ", folded_at = now()"]);
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
        var rows = await Scalar(connection, "SELECT (SELECT count(*) FROM rollup_groups) || ' groups, ' || (SELECT count(*) FROM rollup_agencies) || ' agency counts'",
            cancellationToken);
        await output.WriteLineAsync($"Rebuilt in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s: {rows}.");
        return 0;
    }

    /// <summary>
    /// The statements of a rebuild, to run in one transaction (the migration that creates the read model runs them
    /// too): every report and agency becomes the delta it would have appended, and those are folded.
    /// </summary>
    public static IReadOnlyList<string> RebuildStatements =>
    [
        "DELETE FROM rollup_deltas",
        "TRUNCATE rollup_groups, rollup_agencies",
        "CREATE TEMP TABLE rollup_batch ON COMMIT DROP AS SELECT * FROM rollup_deltas WHERE false",
        $"""
        INSERT INTO rollup_batch (id, agency_id, year, province, prefecture, d4, county, sector, active_from, active_to,
                                  reports_2019, reports_2021, agencies, metric_ids, applicants, totals, blanks, cells)
        SELECT 0, r.agency_id, r.year, {Place},
               (v.edition = '2019')::int, (v.edition = '2021')::int, 0,
               c.metric_ids, c.applicants, c.totals, c.blanks, c.cells
        FROM reports r
        JOIN revisions v ON v.agency_id = r.agency_id AND v.year = r.year AND v.number = r.current_revision
        JOIN agencies a ON a.id = r.agency_id JOIN divisions d ON d.code = a.division_code
        JOIN LATERAL (
            SELECT array_agg(metric_id) AS metric_ids, array_agg(applicant) AS applicants, array_agg(coalesce(value, 0)) AS totals,
                   array_agg((value IS NULL)::int) AS blanks, array_agg(1) AS cells
            FROM report_cells x WHERE x.agency_id = r.agency_id AND x.year = r.year) c ON TRUE
        """,
        $"""
        INSERT INTO rollup_batch (id, agency_id, year, province, prefecture, d4, county, sector, active_from, active_to, reports_2019, reports_2021, agencies)
        SELECT 0, a.id, NULL, {Place}, 0, 0, 1 FROM agencies a JOIN divisions d ON d.code = a.division_code
        """,
        .. Project,
        "UPDATE rollup_state SET rebuilt_at = now(), folded_at = now()",
    ];

    /// <summary>
    /// The statements that add the deltas in <c>rollup_batch</c> to the summary tables at every grain: each delta as
    /// full arrays over the slots, then one row per grain and group, added to the row already there.
    /// </summary>
    private static IReadOnlyList<string> Project =>
    [
        """
        CREATE TEMP TABLE rollup_dense ON COMMIT DROP AS
        SELECT b.year, b.province, b.prefecture, b.d4, b.county, b.sector, b.reports_2019, b.reports_2021,
               coalesce(c.totals, z.totals) AS totals, coalesce(c.blanks, z.blanks) AS blanks
        FROM rollup_batch b
        CROSS JOIN (SELECT array_agg(0::numeric ORDER BY slot) AS totals, array_agg(0 ORDER BY slot) AS blanks FROM rollup_slots) z
        LEFT JOIN LATERAL (
            SELECT array_agg(coalesce(u.total, 0) ORDER BY s.slot) AS totals, array_agg(coalesce(u.blanks, 0) ORDER BY s.slot) AS blanks
            FROM rollup_slots s
            LEFT JOIN unnest(b.metric_ids, b.applicants, b.totals, b.blanks) AS u(metric_id, applicant, total, blanks)
                   ON u.metric_id = s.metric_id AND u.applicant = s.applicant
            WHERE b.metric_ids IS NOT NULL) c ON b.metric_ids IS NOT NULL
        WHERE b.year IS NOT NULL
        """,
        $"""
        INSERT INTO rollup_groups (grain, year, province, prefecture, d4, county, sector, reports_2019, reports_2021, totals, blanks)
        SELECT g.grain, s.year, {Masked("s")}, sum(s.reports_2019)::int, sum(s.reports_2021)::int, rollup_sum(s.totals), rollup_isum(s.blanks)
        FROM rollup_dense s CROSS JOIN ({RollupGrain.ValuesSql}) AS g(grain, province, prefecture, county, sector)
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (grain, province, d4, county, sector, prefecture, year) DO UPDATE SET
            reports_2019 = rollup_groups.reports_2019 + EXCLUDED.reports_2019,
            reports_2021 = rollup_groups.reports_2021 + EXCLUDED.reports_2021,
            totals = rollup_add(rollup_groups.totals, EXCLUDED.totals),
            blanks = rollup_iadd(rollup_groups.blanks, EXCLUDED.blanks)
        """,
        "DROP TABLE rollup_dense",
        $"""
        INSERT INTO rollup_agencies (grain, province, prefecture, d4, county, sector, active_from, active_to, agencies)
        SELECT g.grain, {Masked("s")}, s.active_from, s.active_to, sum(s.agencies)::int
        FROM rollup_batch s CROSS JOIN ({RollupGrain.ValuesSql}) AS g(grain, province, prefecture, county, sector)
        WHERE s.agencies <> 0
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT (grain, province, d4, county, sector, prefecture, active_from, active_to) DO UPDATE SET agencies = rollup_agencies.agencies + EXCLUDED.agencies
        """,
    ];

    /// <summary>SQL that creates the read model's tables and functions (run by the migration).</summary>
    public static IReadOnlyList<string> CreateStatements =>
    [
        """
        CREATE TABLE rollup_deltas (
            id bigserial PRIMARY KEY,
            agency_id integer NOT NULL REFERENCES agencies (id),
            year smallint,
            province varchar(6) NOT NULL, prefecture varchar(6) NOT NULL, d4 varchar(4) NOT NULL, county varchar(6) NOT NULL, sector varchar(32) NOT NULL,
            active_from smallint NOT NULL, active_to smallint NOT NULL,
            reports_2019 smallint NOT NULL, reports_2021 smallint NOT NULL,
            agencies smallint NOT NULL,
            metric_ids smallint[], applicants smallint[], totals numeric[], blanks integer[], cells integer[])
        """,
        "CREATE TABLE rollup_slots (slot smallint PRIMARY KEY, metric_id smallint NOT NULL, applicant smallint NOT NULL, in_2019 boolean NOT NULL, in_2021 boolean NOT NULL)",
        RollupSlots.InsertSql,
        """
        CREATE TABLE rollup_groups (
            grain smallint NOT NULL, year smallint NOT NULL,
            province varchar(6) NOT NULL, prefecture varchar(6) NOT NULL, d4 varchar(4) NOT NULL, county varchar(6) NOT NULL, sector varchar(32) NOT NULL,
            reports_2019 integer NOT NULL, reports_2021 integer NOT NULL,
            totals numeric[] NOT NULL, blanks integer[] NOT NULL,
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
        // Elementwise sums of the arrays, and their aggregates.
        "CREATE FUNCTION rollup_add(a numeric[], b numeric[]) RETURNS numeric[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE ARRAY(SELECT x + y FROM unnest(a, b) AS t(x, y)) END $$",
        "CREATE FUNCTION rollup_iadd(a integer[], b integer[]) RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE ARRAY(SELECT x + y FROM unnest(a, b) AS t(x, y)) END $$",
        "CREATE AGGREGATE rollup_sum(numeric[]) (SFUNC = rollup_add, STYPE = numeric[])",
        "CREATE AGGREGATE rollup_isum(integer[]) (SFUNC = rollup_iadd, STYPE = integer[])",
    ];

    /// <summary>The region and sector keys of source <paramref name="s"/>, blank where grain <c>g</c> does not keep them.</summary>
    private static string Masked(string s) =>
        $"CASE WHEN g.province THEN {s}.province ELSE '' END, CASE WHEN g.prefecture THEN {s}.prefecture ELSE '' END, " +
        $"CASE WHEN g.prefecture THEN {s}.d4 ELSE '' END, CASE WHEN g.county THEN {s}.county ELSE '' END, CASE WHEN g.sector THEN {s}.sector ELSE '' END";

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
