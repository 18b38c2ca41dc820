using Aggregator.Api.Data;
using Aggregator.Api.Features.Shared;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Api.Infrastructure.Audit;
using Aggregator.Api.Infrastructure.Problems;
using Aggregator.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Reports.SubmitReport;

/// <summary>
/// Submits an agency's report for a year. A changed document becomes a new revision; the same document again
/// (a retry) returns the current revision unchanged. Findings R1–R6 are stored with the revision, never rejected.
/// </summary>
/// <param name="IfMatch">Optional <c>If-Match</c>: the entity tag of the revision the client is correcting.</param>
public sealed record SubmitReport(string AgencyCode, int Year, ReportDocument Document, string? IfMatch) : ICommand<SubmittedRevision>;

public sealed record SubmittedRevision(SubmissionOutcome Outcome, RevisionResponse Revision);

public sealed class SubmitReportValidator : AbstractValidator<SubmitReport>
{
    public SubmitReportValidator(TimeProvider clock)
    {
        RuleFor(c => c.Year)
            .Must(year => ReportYears.IsReportable(year, clock.GetUtcNow()))
            .WithMessage(c => ReportYears.Refusal(c.Year, clock.GetUtcNow()));
    }
}

public sealed class SubmitReportHandler(AggregatorDbContext db, RevisionStore revisions, AccessControl access, AuditTrail audit) : ICommandHandler<SubmitReport, SubmittedRevision>
{
    public async ValueTask<SubmittedRevision> Handle(SubmitReport command, CancellationToken cancellationToken)
    {
        var agency = await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Code == command.AgencyCode, cancellationToken)
                     ?? throw new NotFoundException($"No agency with code '{command.AgencyCode}'. Register it first (POST /api/v1/agencies).");
        await access.DemandAsync(new AgencyResource(agency.Code, agency.DivisionCode), Operations.WriteReports);
        var stored = await revisions.StoreAsync(agency, command.Year, command.Document, command.IfMatch,
            audit.ForAcceptedWrite(agency.Code, command.Year), cancellationToken);
        return new SubmittedRevision(stored.Outcome, RevisionResponse.From(agency.Code, command.Year, stored.Revision));
    }
}

public static class SubmitReportEndpoint
{
    public static void Map(IEndpointRouteBuilder reports) =>
        reports.MapPut("/{year:int}", async Task<Results<Created<RevisionResponse>, Ok<RevisionResponse>>> (
                string code, int year, ReportBody body, [FromHeader(Name = "If-Match")] string? ifMatch, HttpResponse response,
                IMediator mediator, CancellationToken cancellationToken) =>
            {
                var submitted = await mediator.Send(new SubmitReport(code, year, body.Document, ifMatch), cancellationToken);
                var revision = submitted.Revision;
                response.Headers.ETag = revision.ETag;
                return submitted.Outcome == SubmissionOutcome.Created
                    ? TypedResults.Created($"/api/v1/agencies/{Uri.EscapeDataString(code)}/reports/{year}", revision)
                    : TypedResults.Ok(revision);
            })
            .WithName("SubmitReport")
            .WithSummary("Submit or correct an agency's report for a year")
            .WithDescription("201 for the first revision, 200 with a new revision for a changed document, 200 with the same revision for an identical one. " +
                             "Consistency findings (R1–R6) are stored beside the published numbers; only hard errors (R7, shape, types) are refused.")
            .Accepts<ReportDocument>("application/json")
            .Audited("SubmitReport")
            .RequireAuthorization(Policies.Key)
            .ProducesValidationProblem()
            .ProducesProblem(401)
            .ProducesProblem(403)
            .ProducesProblem(404)
            .ProducesProblem(412)
            .ProducesProblem(413)
            .ProducesProblem(415);
}
