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
/// the batch's deltas are summed per group in memory (<see cref="RollupIncrements"/>), and each group touched is one
/// row update, however many metrics and deltas it takes. <see cref="RebuildAsync"/> turns the fact tables into one
/// delta per report and folds those, so a rebuild equals what the folds built. Queries add the deltas not folded yet (<see cref="PendingView"/>), so an answer includes
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
        var folded = 0;
        var increments = new RollupIncrements();
        await using (var read = new NpgsqlCommand(
            "SELECT year, province, prefecture, d4, county, sector, reports_2019, reports_2021, totals, blanks FROM rollup_batch", connection))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                folded++;
                if (!reader.IsDBNull(0))
                {
                    increments.Add(reader.GetInt16(0),
                        new RollupPlace(reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), 0, 0),
                        reader.GetInt16(6), reader.GetInt16(7), reader.GetFieldValue<decimal[]>(8), reader.GetFieldValue<int[]>(9));
                }
            }
        }
        if (folded > 0)
        {
            await Execute(connection, cancellationToken, "CREATE TEMP TABLE rollup_increments ON COMMIT DROP AS SELECT * FROM rollup_groups WHERE false");
            await increments.CopyAsync(connection, "rollup_increments", cancellationToken);
            await Execute(connection, cancellationToken, [.. Project, "UPDATE rollup_state SET folded = folded + " + folded + ", folded_at = now()"]);
        }
        await transaction.CommitAsync(cancellationToken);
        return folded;
    }

    /// <summary>
    /// Vacuums the delta queue: after a long queue is folded its pages are dead rows that every query would scan.
    /// Outside a transaction; skipped when another vacuum holds the table.
    /// </summary>
    public static async Task VacuumQueueAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await Execute(connection, cancellationToken, "VACUUM (SKIP_LOCKED) rollup_deltas");

    /// <summary>
    /// Computes the read model anew from the fact tables (cells of current revisions, reports, agencies): in one
    /// snapshot it empties the summary tables and the delta queue and queues one delta per report and agency, then
    /// folds the queue. A submission committed meanwhile stays queued on its own, and answers stay right throughout,
    /// since queries add what is queued.
    /// </summary>
    public static async Task RebuildAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken))
        {
            await Execute(connection, cancellationToken, $"SELECT pg_advisory_xact_lock({FoldLock})");
            await Execute(connection, cancellationToken, RebuildStatements.ToArray());
            await transaction.CommitAsync(cancellationToken);
        }
        while (await Scalar(connection, "SELECT EXISTS (SELECT 1 FROM rollup_deltas)", cancellationToken) is true)
        {
            if (await FoldAsync(connection, 5000, cancellationToken) == 0)
            {
                await Task.Delay(50, cancellationToken); // another folder is at it
            }
        }
        await VacuumQueueAsync(connection, cancellationToken);
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
    /// The statements that start a rebuild, to run in one transaction (the migration that creates the read model runs
    /// them too, and the folder then folds the queue): every report and agency becomes the delta it would have appended.
    /// </summary>
    public static IReadOnlyList<string> RebuildStatements =>
    [
        "DELETE FROM rollup_deltas",
        "TRUNCATE rollup_groups, rollup_agencies",
        $"""
        INSERT INTO rollup_deltas (agency_id, year, province, prefecture, d4, county, sector, active_from, active_to,
                                   reports_2019, reports_2021, agencies, totals, blanks)
        SELECT r.agency_id, r.year, {Place}, (v.edition = '2019')::int, (v.edition = '2021')::int, 0, c.totals, c.blanks
        FROM reports r
        JOIN revisions v ON v.agency_id = r.agency_id AND v.year = r.year AND v.number = r.current_revision
        JOIN agencies a ON a.id = r.agency_id JOIN divisions d ON d.code = a.division_code
        JOIN LATERAL (
            SELECT array_agg(coalesce(x.value, 0) ORDER BY s.slot) AS totals, array_agg((x.metric_id IS NOT NULL AND x.value IS NULL)::int ORDER BY s.slot) AS blanks
            FROM rollup_slots s
            LEFT JOIN (SELECT metric_id, applicant, value FROM report_cells WHERE agency_id = r.agency_id AND year = r.year) x
                   ON x.metric_id = s.metric_id AND x.applicant = s.applicant) c ON TRUE
        ORDER BY r.agency_id, r.year
        """,
        $"""
        INSERT INTO rollup_deltas (agency_id, year, province, prefecture, d4, county, sector, active_from, active_to, reports_2019, reports_2021, agencies)
        SELECT a.id, NULL, {Place}, 0, 0, 1 FROM agencies a JOIN divisions d ON d.code = a.division_code ORDER BY a.id
        """,
        "UPDATE rollup_state SET rebuilt_at = now(), folded_at = now()",
    ];

    /// <summary>
    /// The statements that add a batch to the summary tables: the increments of the groups it touches
    /// (<c>rollup_increments</c>, summed by <see cref="RollupIncrements"/>), each added to the row already there; and
    /// the agencies it registers (<c>rollup_batch</c>) at every grain.
    /// </summary>
    private static IReadOnlyList<string> Project =>
    [
        """
        INSERT INTO rollup_groups (grain, year, province, prefecture, d4, county, sector, reports_2019, reports_2021, totals, blanks)
        SELECT grain, year, province, prefecture, d4, county, sector, reports_2019, reports_2021, totals, blanks FROM rollup_increments
        ON CONFLICT (grain, province, d4, county, sector, prefecture, year) DO UPDATE SET
            reports_2019 = rollup_groups.reports_2019 + EXCLUDED.reports_2019,
            reports_2021 = rollup_groups.reports_2021 + EXCLUDED.reports_2021,
            totals = rollup_add(rollup_groups.totals, EXCLUDED.totals),
            blanks = rollup_iadd(rollup_groups.blanks, EXCLUDED.blanks)
        """,
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
            totals numeric[], blanks integer[])
            WITH (toast_tuple_target = 8160, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000)
        """,
        // A delta lives until the next fold: not worth compressing. Queries scan the queue, so its dead rows are
        // vacuumed early (and by the folder once it has emptied a long queue).
        "ALTER TABLE rollup_deltas ALTER COLUMN totals SET STORAGE MAIN, ALTER COLUMN blanks SET STORAGE MAIN",
        "CREATE TABLE rollup_slots (slot smallint PRIMARY KEY, metric_id smallint NOT NULL, applicant smallint NOT NULL, in_2019 boolean NOT NULL, in_2021 boolean NOT NULL)",
        RollupSlots.InsertSql,
        """
        CREATE TABLE rollup_groups (
            grain smallint NOT NULL, year smallint NOT NULL,
            province varchar(6) NOT NULL, prefecture varchar(6) NOT NULL, d4 varchar(4) NOT NULL, county varchar(6) NOT NULL, sector varchar(32) NOT NULL,
            reports_2019 integer NOT NULL, reports_2021 integer NOT NULL,
            totals numeric[] NOT NULL, blanks integer[] NOT NULL,
            PRIMARY KEY (grain, province, d4, county, sector, prefecture, year))
            WITH (toast_tuple_target = 8160)
        """,
        // A row's arrays stay inline and uncompressed: a query takes one slot of each row it reads, which would
        // otherwise cost the decompression of the whole array.
        "ALTER TABLE rollup_groups ALTER COLUMN totals SET STORAGE MAIN, ALTER COLUMN blanks SET STORAGE MAIN",
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
        // Elementwise sums of the arrays.
        "CREATE FUNCTION rollup_add(a numeric[], b numeric[]) RETURNS numeric[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE ARRAY(SELECT x + y FROM unnest(a, b) AS t(x, y)) END $$",
        "CREATE FUNCTION rollup_iadd(a integer[], b integer[]) RETURNS integer[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE ARRAY(SELECT x + y FROM unnest(a, b) AS t(x, y)) END $$",
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
