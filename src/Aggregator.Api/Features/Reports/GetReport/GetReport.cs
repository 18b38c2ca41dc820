using Aggregator.Api.Data;
using Aggregator.Api.Features.Shared;
using Aggregator.Api.Infrastructure.Caching;
using Aggregator.Api.Infrastructure.Problems;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Reports.GetReport;

/// <param name="Revision">A revision number; null for the current (latest) revision.</param>
public sealed record GetReport(string AgencyCode, int Year, int? Revision) : IQuery<RevisionResponse>;

public sealed class GetReportValidator : AbstractValidator<GetReport>
{
    public GetReportValidator() => RuleFor(q => q.Revision).GreaterThanOrEqualTo(1).WithMessage("Must be a revision number, from 1.");
}

public sealed class GetReportHandler(AggregatorDbContext db) : IQueryHandler<GetReport, RevisionResponse>
{
    public async ValueTask<RevisionResponse> Handle(GetReport query, CancellationToken cancellationToken)
    {
        var revisions = db.Revisions.AsNoTracking()
            .Where(r => r.Report.Agency.Code == query.AgencyCode && r.Report.Year == query.Year);
        revisions = query.Revision is { } number
            ? revisions.Where(r => r.Number == number)
            : revisions.Where(r => r.Report.CurrentRevisionNumber == r.Number);
        var revision = await revisions.SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException(query.Revision is null
            ? $"Agency '{query.AgencyCode}' has no report for {query.Year}."
            : $"Agency '{query.AgencyCode}' has no revision {query.Revision} of its report for {query.Year}.");
        return RevisionResponse.From(query.AgencyCode, query.Year, revision);
    }
}

public static class GetReportEndpoint
{
    public static void Map(IEndpointRouteBuilder reports) =>
        reports.MapGet("/{year:int}", async Task<Results<Ok<RevisionResponse>, StatusCodeHttpResult>> (
                string code, int year, int? revision, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
            {
                var found = await mediator.Send(new GetReport(code, year, revision), cancellationToken);
                http.Response.Headers.ETag = found.ETag;
                return ConditionalGet.Matches(http.Request, found.ETag)
                    ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
                    : TypedResults.Ok(found);
            })
            .WithName("GetReport")
            .WithSummary("Get the latest revision of a report, or an older one with ?revision=N")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem()
            .ProducesProblem(404);
}
