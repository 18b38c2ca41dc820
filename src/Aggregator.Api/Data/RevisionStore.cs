using Aggregator.Api.Infrastructure.Problems;
using Aggregator.Domain;
using Microsoft.EntityFrameworkCore;

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
/// Stores a report document as a revision of an agency's report for a year, in one transaction: a changed document
/// becomes a new revision with its findings and replaces the report's cells; the same document again (a retry)
/// changes nothing. Concurrent submissions for one agency-year queue on the report row's lock, so none is lost.
/// Who may submit is the caller's business; this is where every submission path (PUT, import, sample data) writes.
/// </summary>
public sealed class RevisionStore(AggregatorDbContext db, TimeProvider clock)
{
    public async Task<StoredSubmission> StoreAsync(Agency agency, int year, ReportDocument document, string? ifMatch, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO reports (agency_id, year) VALUES ({agency.Id}, {year}) ON CONFLICT (agency_id, year) DO NOTHING", cancellationToken);
        var report = await db.Reports
            .FromSql($"SELECT * FROM reports WHERE agency_id = {agency.Id} AND year = {year} FOR UPDATE")
            .SingleAsync(cancellationToken);
        var current = report.CurrentRevisionId is { } currentId
            ? await db.Revisions.AsNoTracking().SingleAsync(r => r.Id == currentId, cancellationToken)
            : null;

        CheckPrecondition(ifMatch, current);
        var hash = ReportDocumentJson.ContentHash(document);
        if (current is not null && current.ContentHash == hash)
        {
            await transaction.CommitAsync(cancellationToken);
            return new StoredSubmission(SubmissionOutcome.Unchanged, current);
        }

        var previousYear = await db.Reports.AsNoTracking()
            .Where(r => r.AgencyId == agency.Id && r.Year == year - 1 && r.CurrentRevisionId != null)
            .Select(r => r.CurrentRevision!.Document)
            .SingleOrDefaultAsync(cancellationToken);
        var findings = ConsistencyRules.Check(document, previousYear is null ? null : StoredJson.ReadDocument(previousYear));

        var revision = new Revision
        {
            ReportId = report.Id,
            Number = (current?.Number ?? 0) + 1,
            Edition = document.Edition.Code(),
            SubmittedAt = clock.GetUtcNow(),
            ContentHash = hash,
            Document = StoredJson.WriteDocument(document),
            Findings = StoredJson.WriteFindings(findings),
            FindingCount = findings.Count,
        };
        db.Revisions.Add(revision);
        await db.SaveChangesAsync(cancellationToken);
        report.CurrentRevisionId = revision.Id;
        await db.SaveChangesAsync(cancellationToken);
        await ReplaceCells(report.Id, document, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StoredSubmission(current is null ? SubmissionOutcome.Created : SubmissionOutcome.Revised, revision);
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

    /// <summary>The current revision's cells, the fact rows rollups aggregate; derived metrics included.</summary>
    private async Task ReplaceCells(long reportId, ReportDocument document, CancellationToken cancellationToken)
    {
        var cells = document.MetricCells.ToArray();
        var metricIds = cells.Select(c => c.Metric.Id).ToArray();
        var applicants = cells.Select(c => (short)(c.Applicant ?? Applicant.Total)).ToArray();
        var values = cells.Select(c => c.Value).ToArray();
        await db.Database.ExecuteSqlAsync($"DELETE FROM report_cells WHERE report_id = {reportId}", cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO report_cells (report_id, metric_id, applicant, value)
            SELECT {reportId}, m, a, v FROM unnest({metricIds}, {applicants}, {values}) AS cell(m, a, v)
            """, cancellationToken);
    }
}
