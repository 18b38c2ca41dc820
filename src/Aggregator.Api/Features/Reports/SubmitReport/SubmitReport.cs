using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Domain;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Reports.SubmitReport;

/// <summary>
/// Submits an agency's report for a year. A changed document becomes a new revision; the same document again
/// (a retry) returns the current revision unchanged. Findings R1–R6 are stored with the revision, never rejected.
/// </summary>
/// <param name="IfMatch">Optional <c>If-Match</c>: the entity tag of the revision the client is correcting.</param>
public sealed record SubmitReport(string AgencyCode, int Year, ReportDocument Document, string? IfMatch) : ICommand<SubmittedRevision>;

/// <param name="Created">True when this submission created the report (its revision 1).</param>
/// <param name="NewRevision">True when the submission stored a new revision, false for a repeat of the current one.</param>
public sealed record SubmittedRevision(bool Created, bool NewRevision, RevisionResponse Revision);

public sealed class SubmitReportValidator : AbstractValidator<SubmitReport>
{
    public const int FirstYear = 2019;

    public SubmitReportValidator(TimeProvider clock)
    {
        RuleFor(c => c.Year)
            .Must(year => year >= FirstYear && year < clock.GetUtcNow().Year)
            .WithMessage(c => $"Reports cover a completed calendar year from {FirstYear} (the first under the 2019 template) to {clock.GetUtcNow().Year - 1}; got {c.Year}.");
    }
}

public sealed class SubmitReportHandler(AggregatorDbContext db, TimeProvider clock, CurrentCaller currentCaller) : ICommandHandler<SubmitReport, SubmittedRevision>
{
    public async ValueTask<SubmittedRevision> Handle(SubmitReport command, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var agency = await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Code == command.AgencyCode, cancellationToken)
                     ?? throw new NotFoundException($"No agency with code '{command.AgencyCode}'. Register it first (POST /api/v1/agencies).");
        var caller = currentCaller.Required;
        if (!caller.MayWrite(agency.Code, agency.DivisionCode))
        {
            throw new ForbiddenException(caller.Role == Roles.Bureau
                ? $"This bureau key writes the reports of agency '{caller.AgencyCode}' only."
                : $"This region key writes reports of agencies inside division {caller.DivisionPrefix} only; '{agency.Code}' is in {agency.DivisionCode}.");
        }

        // Concurrent submissions for one agency-year queue on this row lock, so none is lost.
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO reports (agency_id, year) VALUES ({agency.Id}, {command.Year}) ON CONFLICT (agency_id, year) DO NOTHING", cancellationToken);
        var report = await db.Reports
            .FromSql($"SELECT * FROM reports WHERE agency_id = {agency.Id} AND year = {command.Year} FOR UPDATE")
            .SingleAsync(cancellationToken);
        var current = report.CurrentRevisionId is { } currentId
            ? await db.Revisions.AsNoTracking().SingleAsync(r => r.Id == currentId, cancellationToken)
            : null;

        CheckPrecondition(command.IfMatch, current);
        var hash = ReportDocumentJson.ContentHash(command.Document);
        if (current is not null && current.ContentHash == hash)
        {
            await transaction.CommitAsync(cancellationToken);
            return new SubmittedRevision(false, false, RevisionResponse.From(agency.Code, command.Year, current));
        }

        var previousYear = await db.Reports.AsNoTracking()
            .Where(r => r.AgencyId == agency.Id && r.Year == command.Year - 1 && r.CurrentRevisionId != null)
            .Select(r => r.CurrentRevision!.Document)
            .SingleOrDefaultAsync(cancellationToken);
        var findings = ConsistencyRules.Check(command.Document, previousYear is null ? null : StoredJson.ReadDocument(previousYear));

        var revision = new Revision
        {
            ReportId = report.Id,
            Number = (current?.Number ?? 0) + 1,
            Edition = command.Document.Edition.Code(),
            SubmittedAt = clock.GetUtcNow(),
            ContentHash = hash,
            Document = StoredJson.WriteDocument(command.Document),
            Findings = StoredJson.WriteFindings(findings),
            FindingCount = findings.Count,
        };
        db.Revisions.Add(revision);
        await db.SaveChangesAsync(cancellationToken);
        report.CurrentRevisionId = revision.Id;
        await db.SaveChangesAsync(cancellationToken);
        await ReplaceCells(report.Id, command.Document, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        return new SubmittedRevision(current is null, true, RevisionResponse.From(agency.Code, command.Year, revision));
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
