using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Infrastructure.Caching;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Reports.GetReport;

/// <param name="Revision">A revision number; null for the current (latest) revision.</param>
public sealed record GetReport(string AgencyCode, int Year, int? Revision) : IQuery<RevisionResponse?>;

public sealed class GetReportHandler(AggregatorDbContext db) : IQueryHandler<GetReport, RevisionResponse?>
{
    public async ValueTask<RevisionResponse?> Handle(GetReport query, CancellationToken cancellationToken)
    {
        var revisions = db.Revisions.AsNoTracking()
            .Where(r => r.Report.Agency.Code == query.AgencyCode && r.Report.Year == query.Year);
        revisions = query.Revision is { } number
            ? revisions.Where(r => r.Number == number)
            : revisions.Where(r => r.Report.CurrentRevisionId == r.Id);
        var revision = await revisions.SingleOrDefaultAsync(cancellationToken);
        return revision is null ? null : RevisionResponse.From(query.AgencyCode, query.Year, revision);
    }
}

public static class GetReportEndpoint
{
    public static void MapGetReport(this IEndpointRouteBuilder reports) =>
        reports.MapGet("/{year:int}", async Task<Results<Ok<RevisionResponse>, StatusCodeHttpResult, ProblemHttpResult>> (
                string code, int year, HttpContext http, IMediator mediator, CancellationToken cancellationToken, int? revision = null) =>
            {
                var found = await mediator.Send(new GetReport(code, year, revision), cancellationToken);
                if (found is null)
                {
                    return Problem.Of(404, "Not found.", revision is null
                        ? $"Agency '{code}' has no report for {year}."
                        : $"Agency '{code}' has no revision {revision} of its report for {year}.");
                }
                http.Response.Headers.ETag = found.ETag;
                if (ConditionalGet.Matches(http.Request, found.ETag))
                {
                    return TypedResults.StatusCode(StatusCodes.Status304NotModified);
                }
                return TypedResults.Ok(found);
            })
            .WithName("GetReport")
            .WithSummary("Get the latest revision of a report, or an older one with ?revision=N")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(404);
}
