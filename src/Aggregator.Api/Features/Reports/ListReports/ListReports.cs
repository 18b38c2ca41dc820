using Aggregator.Api.Data;
using Aggregator.Domain;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Reports.ListReports;

public sealed record ReportSummary(
    string Agency, string AgencyName, string DivisionCode, string Sector, int Year, string Edition,
    int Revision, DateTimeOffset SubmittedAt, string ContentHash, int FindingCount);

public sealed record ListReports(string? Division, string? Sector, int? Year, string? Edition, bool? HasFindings, PageRequest Page)
    : IQuery<Paged<ReportSummary>>;

public sealed class ListReportsHandler(AggregatorDbContext db) : IQueryHandler<ListReports, Paged<ReportSummary>>
{
    public async ValueTask<Paged<ReportSummary>> Handle(ListReports query, CancellationToken cancellationToken)
    {
        var reports = db.Reports.AsNoTracking().Where(r => r.CurrentRevisionId != null);
        if (!string.IsNullOrEmpty(query.Division))
        {
            reports = reports.Where(r => r.Agency.DivisionCode.StartsWith(query.Division));
        }
        if (!string.IsNullOrEmpty(query.Sector))
        {
            reports = reports.Where(r => r.Agency.Sector == query.Sector);
        }
        if (query.Year is { } year)
        {
            reports = reports.Where(r => r.Year == year);
        }
        if (query.Edition is { } edition)
        {
            reports = reports.Where(r => r.CurrentRevision!.Edition == edition);
        }
        if (query.HasFindings is { } hasFindings)
        {
            reports = hasFindings ? reports.Where(r => r.CurrentRevision!.FindingCount > 0) : reports.Where(r => r.CurrentRevision!.FindingCount == 0);
        }
        var total = await reports.CountAsync(cancellationToken);
        var page = await reports
            .OrderBy(r => r.Agency.Code).ThenBy(r => r.Year)
            .Skip(query.Page.Skip).Take(query.Page.PageSize)
            .Select(r => new ReportSummary(r.Agency.Code, r.Agency.Name, r.Agency.DivisionCode, r.Agency.Sector, r.Year,
                r.CurrentRevision!.Edition, r.CurrentRevision.Number, r.CurrentRevision.SubmittedAt, r.CurrentRevision.ContentHash,
                r.CurrentRevision.FindingCount))
            .ToListAsync(cancellationToken);
        return new Paged<ReportSummary>(page, query.Page.Page, query.Page.PageSize, total);
    }
}

public static class ListReportsEndpoint
{
    public static void MapListReports(this IEndpointRouteBuilder reports) =>
        reports.MapGet("/", async Task<Results<Ok<Paged<ReportSummary>>, ValidationProblem>> (IMediator mediator, CancellationToken cancellationToken,
                string? division = null, string? sector = null, int? year = null, string? edition = null, bool? hasFindings = null,
                int? page = null, int? pageSize = null) =>
            {
                if (division is not null && !DivisionFilter.IsValid(division))
                {
                    return DivisionFilter.Problem();
                }
                if (edition is not null && !Editions.TryParse(edition, out _))
                {
                    return Infrastructure.Problem.Invalid("edition", "Must be 2019 or 2021.");
                }
                var query = new ListReports(division, sector, year, edition, hasFindings, PageRequest.Of(page, pageSize));
                return TypedResults.Ok(await mediator.Send(query, cancellationToken));
            })
            .WithName("ListReports")
            .WithSummary("List the latest revision of every report, filtered and paged");
}
