using System.Data;
using Aggregator.Api.Data.ReadModel;
using Aggregator.Api.Infrastructure.Problems;
using Aggregator.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Api.Data;

/// <summary>How a submission ended: the report was created, a new revision stored, or the same document came again.</summary>
public enum SubmissionOutcome
{
    Created,
    Revised,
    Unchanged,
}

/// <param name="Revision">The current revision after the submission: the new one, or the existing one for a repeat.</param>
public sealed record StoredSubmission(SubmissionOutcome Outcome, Revision Revision);

/// <summary>
/// Stores a report document as a revision of an agency's report for a year, in one transaction and two round trips:
/// the first creates the report row if needed and locks it, reading the current revision and last year's document;
/// the second writes the new revision, points the report at it, replaces its cells, appends the change to the
/// rollups' delta queue (<see cref="RollupDeltas"/>) and, when given, the audit record — then commits. The same
/// document again (a retry) changes nothing. Concurrent submissions for one agency-year queue on the report row's
/// lock, so none is lost. Who may submit is the caller's business; every submission path (PUT, bulk, import, sample
/// data) writes here.
/// </summary>
public sealed class RevisionStore(AggregatorDbContext db, TimeProvider clock, DataVersions versions)
{
    /// <param name="audit">The audit record of an accepted write, given its status and revision; written in the same commit.</param>
    public async Task<StoredSubmission> StoreAsync(Agency agency, int year, ReportDocument document, string? ifMatch,
        Func<int, int, AuditEvent>? audit, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            var stored = await StoreAsync(connection, agency, year, document, ifMatch, audit, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            versions.Changed(year);
            return stored;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The same, inside a transaction the caller owns (the bulk path stores many reports per commit).</summary>
    public async Task<StoredSubmission> StoreAsync(NpgsqlConnection connection, Agency agency, int year, ReportDocument document, string? ifMatch,
        Func<int, int, AuditEvent>? audit, CancellationToken cancellationToken)
    {
        var (current, previousYear) = await LockReport(connection, agency.Id, year, cancellationToken);
        CheckPrecondition(ifMatch, current);
        var hash = ReportDocumentJson.ContentHash(document);
        if (current is not null && current.ContentHash == hash)
        {
            return new StoredSubmission(SubmissionOutcome.Unchanged, current);
        }

        var findings = ConsistencyRules.Check(document, previousYear is null ? null : StoredJson.ReadDocument(previousYear));
        var revision = new Revision
        {
            AgencyId = agency.Id,
            Year = year,
            Number = (current?.Number ?? 0) + 1,
            Edition = document.Edition.Code(),
            SubmittedAt = clock.GetUtcNow(),
            ContentHash = hash,
            Document = StoredJson.WriteDocument(document),
            Findings = StoredJson.WriteFindings(findings),
            FindingCount = findings.Count,
        };
        var outcome = current is null ? SubmissionOutcome.Created : SubmissionOutcome.Revised;
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command("""
            INSERT INTO revisions (agency_id, year, number, edition, submitted_at, content_hash, document, findings, finding_count)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)
            """, revision.AgencyId, revision.Year, revision.Number, revision.Edition, revision.SubmittedAt, revision.ContentHash,
            revision.Document, revision.Findings, revision.FindingCount));
        batch.BatchCommands.Add(Command(
            "UPDATE reports SET current_revision = $3, first_submitted_at = coalesce(first_submitted_at, $4) WHERE agency_id = $1 AND year = $2",
            agency.Id, year, revision.Number, revision.SubmittedAt));
        batch.BatchCommands.Add(Command("DELETE FROM report_cells WHERE agency_id = $1 AND year = $2", agency.Id, year));
        var cells = document.MetricCells.ToArray();
        batch.BatchCommands.Add(Command("""
            INSERT INTO report_cells (agency_id, year, metric_id, applicant, value)
            SELECT $1, $2, m, a, v FROM unnest($3::smallint[], $4::smallint[], $5::numeric[]) AS cell(m, a, v)
            """, agency.Id, year, cells.Select(c => c.Metric.Id).ToArray(), cells.Select(c => (short)(c.Applicant ?? Applicant.Total)).ToArray(),
            cells.Select(c => c.Value).ToArray()));
        var replaced = current is null ? null : StoredJson.ReadDocument(current.Document);
        if (RollupDeltas.ForSubmission(agency, year, document.Edition, replaced?.Edition, replaced?.MetricCells ?? [], cells) is { } delta)
        {
            batch.BatchCommands.Add(delta);
        }
        if (audit?.Invoke(outcome == SubmissionOutcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK, revision.Number) is { } record)
        {
            batch.BatchCommands.Add(AuditRecords.Insert(record));
        }
        batch.BatchCommands.Add(RollupDeltas.Notify(year, versions.Instance));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return new StoredSubmission(outcome, revision);
    }

    /// <summary>
    /// Stores many reports in the caller's transaction, in three round trips for all of them: set-based statements lock
    /// and read every report of the batch (in key order, so concurrent batches cannot deadlock); then write the new
    /// revisions and reports and one delta per report; then COPY the cells. Each (agency, year) may appear once per
    /// call. A report whose year before is in the same call is checked against that document (R5/R6). Results are in
    /// input order.
    /// </summary>
    /// <param name="audit">The audit record of an accepted item, given its status and revision; written in the same commit.</param>
    public async Task<IReadOnlyList<StoredSubmission>> StoreManyAsync(NpgsqlConnection connection, IReadOnlyList<(Agency Agency, int Year, ReportDocument Document)> items,
        Func<int, int, int, AuditEvent>? audit, CancellationToken cancellationToken)
    {
        var agencyIds = items.Select(i => i.Agency.Id).ToArray();
        var years = items.Select(i => i.Year).ToArray();
        var current = new Revision?[items.Count];
        var previousYear = new string?[items.Count];
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(Command(
                "INSERT INTO reports (agency_id, year) SELECT * FROM unnest($1::int[], $2::int[]) ON CONFLICT (agency_id, year) DO NOTHING", agencyIds, years));
            batch.BatchCommands.Add(Command("""
                SELECT 1 FROM reports r JOIN unnest($1::int[], $2::int[]) AS k(agency_id, year) ON r.agency_id = k.agency_id AND r.year = k.year
                ORDER BY r.agency_id, r.year FOR UPDATE OF r
                """, agencyIds, years));
            batch.BatchCommands.Add(Command("""
                SELECT k.i::int - 1, v.number, v.edition, v.submitted_at, v.content_hash, v.document::text, v.findings::text, v.finding_count, p.document::text
                FROM unnest($1::int[], $2::int[]) WITH ORDINALITY AS k(agency_id, year, i)
                JOIN reports r ON r.agency_id = k.agency_id AND r.year = k.year
                LEFT JOIN revisions v ON v.agency_id = r.agency_id AND v.year = r.year AND v.number = r.current_revision
                LEFT JOIN reports pr ON pr.agency_id = r.agency_id AND pr.year = r.year - 1
                LEFT JOIN revisions p ON p.agency_id = pr.agency_id AND p.year = pr.year AND p.number = pr.current_revision
                """, agencyIds, years));
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var i = reader.GetInt32(0);
                (current[i], previousYear[i]) = ReadCurrent(reader, 1, agencyIds[i], years[i]);
            }
        }

        var now = clock.GetUtcNow();
        var inBatch = items.Select((item, i) => (Key: (item.Agency.Id, item.Year), i)).ToDictionary(x => x.Key, x => x.i);
        var results = new StoredSubmission[items.Count];
        var written = new List<(int Index, Revision Revision, ReportDocument Document, Cell[] Cells)>();
        for (var i = 0; i < items.Count; i++)
        {
            var (agency, year, document) = items[i];
            var hash = ReportDocumentJson.ContentHash(document);
            if (current[i] is { } held && held.ContentHash == hash)
            {
                results[i] = new StoredSubmission(SubmissionOutcome.Unchanged, held);
                continue;
            }
            var before = inBatch.TryGetValue((agency.Id, year - 1), out var earlier) ? items[earlier].Document
                : previousYear[i] is { } json ? StoredJson.ReadDocument(json) : null;
            var findings = ConsistencyRules.Check(document, before);
            var revision = new Revision
            {
                AgencyId = agency.Id, Year = year, Number = (current[i]?.Number ?? 0) + 1, Edition = document.Edition.Code(), SubmittedAt = now,
                ContentHash = hash, Document = StoredJson.WriteDocument(document), Findings = StoredJson.WriteFindings(findings), FindingCount = findings.Count,
            };
            results[i] = new StoredSubmission(current[i] is null ? SubmissionOutcome.Created : SubmissionOutcome.Revised, revision);
            written.Add((i, revision, document, document.MetricCells.ToArray()));
        }
        if (written.Count == 0)
        {
            return results;
        }

        await using (var batch = new NpgsqlBatch(connection))
        {
            var revisions = written.Select(w => w.Revision).ToArray();
            batch.BatchCommands.Add(Command("""
                INSERT INTO revisions (agency_id, year, number, edition, submitted_at, content_hash, document, findings, finding_count)
                SELECT a, y, n, e, $9, h, d::jsonb, f::jsonb, c
                FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[]) AS x(a, y, n, e, h, d, f, c)
                """, revisions.Select(r => r.AgencyId).ToArray(), revisions.Select(r => r.Year).ToArray(), revisions.Select(r => r.Number).ToArray(),
                revisions.Select(r => r.Edition).ToArray(), revisions.Select(r => r.ContentHash).ToArray(), revisions.Select(r => r.Document).ToArray(),
                revisions.Select(r => r.Findings).ToArray(), revisions.Select(r => r.FindingCount).ToArray(), now));
            batch.BatchCommands.Add(Command("""
                UPDATE reports r SET current_revision = x.n, first_submitted_at = coalesce(r.first_submitted_at, $4)
                FROM unnest($1::int[], $2::int[], $3::int[]) AS x(a, y, n) WHERE r.agency_id = x.a AND r.year = x.y
                """, revisions.Select(r => r.AgencyId).ToArray(), revisions.Select(r => r.Year).ToArray(), revisions.Select(r => r.Number).ToArray(), now));
            batch.BatchCommands.Add(Command("""
                DELETE FROM report_cells c USING unnest($1::int[], $2::int[]) AS x(a, y) WHERE c.agency_id = x.a AND c.year = x.y
                """, revisions.Where(r => r.Number > 1).Select(r => r.AgencyId).ToArray(), revisions.Where(r => r.Number > 1).Select(r => r.Year).ToArray()));
            foreach (var (index, revision, document, cells) in written)
            {
                var replaced = current[index] is { } held ? StoredJson.ReadDocument(held.Document) : null;
                if (RollupDeltas.ForSubmission(items[index].Agency, revision.Year, document.Edition, replaced?.Edition, replaced?.MetricCells ?? [],
                        cells) is { } delta)
                {
                    batch.BatchCommands.Add(delta);
                }
                if (audit?.Invoke(index, current[index] is null ? StatusCodes.Status201Created : StatusCodes.Status200OK, revision.Number) is { } record)
                {
                    batch.BatchCommands.Add(AuditRecords.Insert(record));
                }
            }
            foreach (var year in written.Select(w => w.Revision.Year).Distinct())
            {
                batch.BatchCommands.Add(RollupDeltas.Notify(year, versions.Instance));
            }
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        // The cells by binary COPY: one stream for hundreds of reports, no arrays to build and unnest.
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY report_cells (agency_id, year, metric_id, applicant, value) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var (_, revision, _, cells) in written)
            {
                foreach (var cell in cells)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(revision.AgencyId, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(revision.Year, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(cell.Metric.Id, NpgsqlDbType.Smallint, cancellationToken);
                    await copy.WriteAsync((short)(cell.Applicant ?? Applicant.Total), NpgsqlDbType.Smallint, cancellationToken);
                    if (cell.Value is { } value)
                    {
                        await copy.WriteAsync(value, NpgsqlDbType.Numeric, cancellationToken);
                    }
                    else
                    {
                        await copy.WriteNullAsync(cancellationToken);
                    }
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }
        return results;
    }

    /// <summary>Creates the report row if needed and locks it; reads its current revision and the current document of the year before.</summary>
    private static async Task<(Revision? Current, string? PreviousYear)> LockReport(NpgsqlConnection connection, int agencyId, int year, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command("INSERT INTO reports (agency_id, year) VALUES ($1, $2) ON CONFLICT (agency_id, year) DO NOTHING", agencyId, year));
        // The lock first, then the read in a statement of its own: under READ COMMITTED a statement that waited for the
        // lock re-reads the locked row but would join other tables as they were before the wait.
        batch.BatchCommands.Add(Command("SELECT 1 FROM reports WHERE agency_id = $1 AND year = $2 FOR UPDATE", agencyId, year));
        batch.BatchCommands.Add(Command("""
            SELECT v.number, v.edition, v.submitted_at, v.content_hash, v.document::text, v.findings::text, v.finding_count, p.document::text
            FROM reports r
            LEFT JOIN revisions v ON v.agency_id = r.agency_id AND v.year = r.year AND v.number = r.current_revision
            LEFT JOIN reports pr ON pr.agency_id = r.agency_id AND pr.year = r.year - 1
            LEFT JOIN revisions p ON p.agency_id = pr.agency_id AND p.year = pr.year AND p.number = pr.current_revision
            WHERE r.agency_id = $1 AND r.year = $2
            """, agencyId, year));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ReadCurrent(reader, 0, agencyId, year);
    }

    /// <summary>
    /// The current revision (number, edition, submitted_at, content_hash, document, findings, finding_count) and last
    /// year's document, from the columns starting at <paramref name="first"/>.
    /// </summary>
    private static (Revision? Current, string? PreviousYear) ReadCurrent(NpgsqlDataReader reader, int first, int agencyId, int year)
    {
        var current = reader.IsDBNull(first) ? null : new Revision
        {
            AgencyId = agencyId,
            Year = year,
            Number = reader.GetInt32(first),
            Edition = reader.GetString(first + 1),
            SubmittedAt = reader.GetFieldValue<DateTimeOffset>(first + 2),
            ContentHash = reader.GetString(first + 3),
            Document = reader.GetString(first + 4),
            Findings = reader.GetString(first + 5),
            FindingCount = reader.GetInt32(first + 6),
        };
        return (current, reader.IsDBNull(first + 7) ? null : reader.GetString(first + 7));
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                decimal?[] numbers => new NpgsqlParameter { Value = numbers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric },
                _ => new NpgsqlParameter { Value = value ?? DBNull.Value },
            });
        }
        return command;
    }

    private static void CheckPrecondition(string? ifMatch, Revision? current)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return;
        }
        var tags = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var holds = current is not null && tags.Any(tag => tag == "*" || tag.Trim('"') == current.ContentHash);
        if (!holds)
        {
            throw new PreconditionFailedException(current is null
                ? "If-Match was given but the report has no revision yet."
                : $"If-Match does not match the current revision {current.Number} (ETag \"{current.ContentHash}\"): someone corrected the report since you read it.");
        }
    }
}
