using Aggregator.Domain;
using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Scale;

/// <summary>
/// ═══ Every statement the benchmark runs against the database, in one place. ═══
/// Written for the schema of src/Aggregator.Api/Data (migration ReportKeysAndRollupReadModel): <c>reports(agency_id,
/// year, current_revision, first_submitted_at)</c>, <c>revisions(agency_id, year, number, edition, submitted_at,
/// content_hash, document, findings, finding_count)</c>, <c>report_cells(agency_id, year, metric_id, applicant,
/// value)</c>, <c>agencies</c>, <c>divisions</c>: the rollup baselines are the plain GROUP BY a user would write over the stored cells, and the
/// raw-SQL ingestion is one transaction per report writing what a submission writes (a revision with the document,
/// the report's current revision, its cells).
/// </summary>
public static class BaselineSql
{
    /// <summary>Applicant column under which cells without the applicant dimension are stored (total).</summary>
    private const short TotalColumn = (short)Applicant.Total;

    public static async Task<long> CountReportsAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT count(*) FROM reports WHERE current_revision IS NOT NULL");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public static async Task<long> DatabaseBytesAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT pg_database_size(current_database())");
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Where the regional rollups look: the prefecture (a real one, code ending in 00, not a province) with the most
    /// reports, its province, and the first agency there (by code) with a report for <paramref name="year"/>, whose
    /// report is changed before each "changed data" request.
    /// </summary>
    public static async Task<(string Province, string Prefecture, string Agency)> BusiestPrefectureAsync(NpgsqlDataSource db, int year, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            WITH busiest AS (
                SELECT d.province_code, d.prefecture_code, count(*) AS reports
                FROM reports r JOIN agencies a ON a.id = r.agency_id JOIN divisions d ON d.code = a.division_code
                WHERE d.prefecture_code LIKE '____00' AND d.prefecture_code NOT LIKE '__0000'
                GROUP BY 1, 2 ORDER BY reports DESC, 2 LIMIT 1)
            SELECT b.province_code, b.prefecture_code, min(a.code)
            FROM busiest b
            JOIN divisions d ON d.prefecture_code = b.prefecture_code
            JOIN agencies a ON a.division_code = d.code
            JOIN reports r ON r.agency_id = a.id AND r.year = @year AND r.current_revision IS NOT NULL
            GROUP BY 1, 2
            """);
        command.Parameters.AddWithValue("year", year);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw new InvalidOperationException($"No prefecture has a report for {year}: load some data first.");
        }
        return (reader.GetString(0).Trim(), reader.GetString(1).Trim(), reader.GetString(2));
    }

    // ─── The rollups as plain SQL: one GROUP BY over the stored cells, joined to their report, agency and division. ───

    /// <summary>(a) National penalty decisions by prefecture × year.</summary>
    public static NpgsqlBatch PenaltiesByPrefectureAndYear(NpgsqlConnection connection) => Query(connection, """
        SELECT d.prefecture_code, c.year, sum(c.value), count(*) - count(c.value) AS blanks
        FROM report_cells c
        JOIN agencies a ON a.id = c.agency_id
        JOIN divisions d ON d.code = a.division_code
        WHERE c.metric_id = @metric AND c.applicant = @total
        GROUP BY d.prefecture_code, c.year
        """, ("metric", MetricCatalogue.Get("proactive.penalty.decisions").Id));

    /// <summary>(b) One prefecture's complaint-type applications not processed, by agency × year.</summary>
    public static NpgsqlBatch PetitionComplaintsByAgencyAndYear(NpgsqlConnection connection, string prefecture4) => Query(connection, """
        SELECT a.code, c.year, sum(c.value), count(*) - count(c.value) AS blanks
        FROM report_cells c
        JOIN agencies a ON a.id = c.agency_id
        WHERE c.metric_id = @metric AND c.applicant = @total AND a.division_code LIKE @prefix
        GROUP BY a.code, c.year
        """, ("metric", MetricCatalogue.Get("applications.notProcessed.petitionComplaint").Id), ("prefix", prefecture4 + "%"));

    /// <summary>(c) Every part 三 metric of one province, by year.</summary>
    public static NpgsqlBatch ApplicationsOfProvinceByYear(NpgsqlConnection connection, string province2) => Query(connection, """
        SELECT c.year, c.metric_id, sum(c.value), count(*) - count(c.value) AS blanks
        FROM report_cells c
        JOIN agencies a ON a.id = c.agency_id
        WHERE c.metric_id = ANY(@metrics) AND c.applicant = @total AND a.division_code LIKE @prefix
        GROUP BY c.year, c.metric_id
        """, ("metrics", PartThreeMetrics.Select(m => m.Id).ToArray()), ("prefix", province2 + "%"));

    public static IReadOnlyList<Metric> PartThreeMetrics { get; } =
        MetricCatalogue.All.Where(m => m.Code.StartsWith("applications.", StringComparison.Ordinal)).ToArray();

    private static NpgsqlBatch Query(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddWithValue("total", TotalColumn);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return new NpgsqlBatch(connection) { BatchCommands = { command } };
    }

    // ─── Raw-SQL ingestion: the same rows a submission stores, one transaction per report. ───

    /// <summary>The agency ids of the reports of (agency code, year) pairs: a report's key is (agency id, year).</summary>
    public static async Task<Dictionary<(string Agency, int Year), long>> ReportIdsAsync(NpgsqlDataSource db,
        IReadOnlyCollection<(string Agency, int Year)> reports, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT a.code, r.year, r.agency_id::bigint
            FROM unnest(@codes, @years) AS wanted(code, year)
            JOIN agencies a ON a.code = wanted.code
            JOIN reports r ON r.agency_id = a.id AND r.year = wanted.year
            """);
        command.Parameters.AddWithValue("codes", reports.Select(r => r.Agency).ToArray());
        command.Parameters.AddWithValue("years", reports.Select(r => r.Year).ToArray());
        var ids = new Dictionary<(string, int), long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids[(reader.GetString(0), reader.GetInt32(1))] = reader.GetInt64(2);
        }
        return ids;
    }

    /// <summary>
    /// One correction in one transaction, in one round trip plus the commit: a revision row with the canonical
    /// document, its hash and no findings (the product's rules are not run), the report pointed at it, its cells
    /// replaced by the document's 207 (or 192) metric cells from three arrays, and the rollup delta row. No audit
    /// record, no checks.
    /// </summary>
    public static async Task StoreRevisionAsync(NpgsqlConnection connection, long agencyId, int year, ReportDocument document, CancellationToken ct)
    {
        var cells = document.MetricCells.ToArray();
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command("""
                    WITH revision AS (
                        INSERT INTO revisions (agency_id, year, number, edition, submitted_at, content_hash, document, findings, finding_count)
                        SELECT @agency, @year, coalesce(max(number), 0) + 1, @edition, now(), @hash, @document, '[]'::jsonb, 0
                        FROM revisions WHERE agency_id = @agency AND year = @year
                        RETURNING number)
                    UPDATE reports SET current_revision = (SELECT number FROM revision) WHERE agency_id = @agency AND year = @year
                    """,
                    ("agency", (int)agencyId), ("year", year), ("edition", document.Edition.Code()), ("hash", ReportDocumentJson.ContentHash(document)),
                    ("document", new NpgsqlParameter { Value = System.Text.Encoding.UTF8.GetString(ReportDocumentJson.Serialize(document)), NpgsqlDbType = NpgsqlDbType.Jsonb })),
                // The cells replaced, and the rollup delta the product appends in the same transaction (new cells minus old).
                Command("""
                    WITH old AS (DELETE FROM report_cells WHERE agency_id = @agency AND year = @year RETURNING metric_id, applicant, value),
                    change AS (
                        SELECT m, a, sum(t) AS t, sum(b)::int AS b, sum(n)::int AS n FROM (
                            SELECT metric_id AS m, applicant AS a, -coalesce(value, 0) AS t, -(value IS NULL)::int AS b, -1 AS n FROM old
                            UNION ALL
                            SELECT m, a, coalesce(v, 0), (v IS NULL)::int, 1 FROM unnest(@metrics, @applicants, @values) AS cell(m, a, v)) x
                        GROUP BY m, a HAVING sum(t) <> 0 OR sum(b) <> 0 OR sum(n) <> 0)
                    INSERT INTO rollup_deltas (agency_id, year, province, prefecture, d4, county, sector, active_from, active_to,
                                               reports_2019, reports_2021, agencies, totals, blanks)
                    SELECT @agency, @year, d.province_code, d.prefecture_code, left(a.division_code, 4), a.division_code, a.sector,
                           coalesce(a.active_from, 0), coalesce(a.active_to, 0), 0, 0, 0, x.t, x.b
                    FROM (SELECT array_agg(coalesce(c.t, 0) ORDER BY s.slot) AS t, array_agg(coalesce(c.b, 0) ORDER BY s.slot) AS b, bool_or(c.m IS NOT NULL) AS changed
                          FROM rollup_slots s LEFT JOIN change c ON c.m = s.metric_id AND c.a = s.applicant) x
                    JOIN agencies a ON a.id = @agency JOIN divisions d ON d.code = a.division_code
                    WHERE x.changed
                    """,
                    ("agency", (int)agencyId), ("year", year),
                    ("metrics", cells.Select(c => c.Metric.Id).ToArray()),
                    ("applicants", cells.Select(c => (short)(c.Applicant ?? Applicant.Total)).ToArray()),
                    ("values", new NpgsqlParameter { Value = cells.Select(c => c.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric })),
                Command("""
                    INSERT INTO report_cells (agency_id, year, metric_id, applicant, value)
                    SELECT @agency, @year, m, a, v FROM unnest(@metrics, @applicants, @values) AS cell(m, a, v)
                    """,
                    ("agency", (int)agencyId), ("year", year),
                    ("metrics", cells.Select(c => c.Metric.Id).ToArray()),
                    ("applicants", cells.Select(c => (short)(c.Applicant ?? Applicant.Total)).ToArray()),
                    ("values", new NpgsqlParameter { Value = cells.Select(c => c.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric })),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            if (value is NpgsqlParameter parameter)
            {
                parameter.ParameterName = name;
                command.Parameters.Add(parameter);
            }
            else
            {
                command.Parameters.AddWithValue(name, value);
            }
        }
        return command;
    }
}
