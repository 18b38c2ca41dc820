using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Problems;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Reports.ListRevisions;

public sealed record ListRevisions(string AgencyCode, int Year) : IQuery<IReadOnlyList<RevisionSummary>>;

public sealed record RevisionSummary(int Revision, string Edition, DateTimeOffset SubmittedAt, string ContentHash, int FindingCount, bool Current);

public sealed class ListRevisionsHandler(AggregatorDbContext db) : IQueryHandler<ListRevisions, IReadOnlyList<RevisionSummary>>
{
    public async ValueTask<IReadOnlyList<RevisionSummary>> Handle(ListRevisions query, CancellationToken cancellationToken)
    {
        var revisions = await db.Revisions.AsNoTracking()
            .Where(r => r.Report.Agency.Code == query.AgencyCode && r.Report.Year == query.Year)
            .OrderBy(r => r.Number)
            .Select(r => new RevisionSummary(r.Number, r.Edition, r.SubmittedAt, r.ContentHash, r.FindingCount, r.Report.CurrentRevisionNumber == r.Number))
            .ToListAsync(cancellationToken);
        return revisions.Count > 0 ? revisions : throw new NotFoundException($"Agency '{query.AgencyCode}' has no report for {query.Year}.");
    }
}

public static class ListRevisionsEndpoint
{
    public static void Map(IEndpointRouteBuilder reports) =>
        reports.MapGet("/{year:int}/revisions", async Task<Ok<IReadOnlyList<RevisionSummary>>> (
                string code, int year, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new ListRevisions(code, year), cancellationToken)))
            .WithName("ListRevisions")
            .WithSummary("List every revision of a report, oldest first")
            .ProducesProblem(404);
}
