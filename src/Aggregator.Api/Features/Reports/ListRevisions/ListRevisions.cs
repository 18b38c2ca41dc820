using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Reports.ListRevisions;

public sealed record RevisionSummary(int Revision, string Edition, DateTimeOffset SubmittedAt, string ContentHash, int FindingCount, bool Current);

public sealed record ListRevisions(string AgencyCode, int Year) : IQuery<IReadOnlyList<RevisionSummary>>;

public sealed class ListRevisionsHandler(AggregatorDbContext db) : IQueryHandler<ListRevisions, IReadOnlyList<RevisionSummary>>
{
    public async ValueTask<IReadOnlyList<RevisionSummary>> Handle(ListRevisions query, CancellationToken cancellationToken) =>
        await db.Revisions.AsNoTracking()
            .Where(r => r.Report.Agency.Code == query.AgencyCode && r.Report.Year == query.Year)
            .OrderBy(r => r.Number)
            .Select(r => new RevisionSummary(r.Number, r.Edition, r.SubmittedAt, r.ContentHash, r.FindingCount, r.Report.CurrentRevisionId == r.Id))
            .ToListAsync(cancellationToken);
}

public static class ListRevisionsEndpoint
{
    public static void MapListRevisions(this IEndpointRouteBuilder reports) =>
        reports.MapGet("/{year:int}/revisions", async Task<Results<Ok<IReadOnlyList<RevisionSummary>>, ProblemHttpResult>> (
                string code, int year, IMediator mediator, CancellationToken cancellationToken) =>
            {
                var revisions = await mediator.Send(new ListRevisions(code, year), cancellationToken);
                return revisions.Count == 0
                    ? Problem.Of(404, "Not found.", $"Agency '{code}' has no report for {year}.")
                    : TypedResults.Ok(revisions);
            })
            .WithName("ListRevisions")
            .WithSummary("List every revision of a report, oldest first")
            .ProducesProblem(404);
}
