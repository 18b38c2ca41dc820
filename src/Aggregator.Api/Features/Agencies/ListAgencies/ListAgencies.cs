using Aggregator.Api.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Agencies.ListAgencies;

public sealed record ListAgencies(string? Division, string? Sector, PageRequest Page) : IQuery<Paged<AgencyResponse>>;

public sealed class ListAgenciesHandler(AggregatorDbContext db) : IQueryHandler<ListAgencies, Paged<AgencyResponse>>
{
    public async ValueTask<Paged<AgencyResponse>> Handle(ListAgencies query, CancellationToken cancellationToken)
    {
        var agencies = db.Agencies.AsNoTracking();
        if (!string.IsNullOrEmpty(query.Division))
        {
            agencies = agencies.Where(a => a.DivisionCode.StartsWith(query.Division));
        }
        if (!string.IsNullOrEmpty(query.Sector))
        {
            agencies = agencies.Where(a => a.Sector == query.Sector);
        }
        var total = await agencies.CountAsync(cancellationToken);
        var page = await agencies.OrderBy(a => a.Code).Skip(query.Page.Skip).Take(query.Page.PageSize)
            .Select(a => new AgencyResponse(a.Code, a.Name, a.DivisionCode, a.Sector, a.RegisteredAt, a.ActiveFrom, a.ActiveTo))
            .ToListAsync(cancellationToken);
        return new Paged<AgencyResponse>(page, query.Page.Page, query.Page.PageSize, total);
    }
}

public static class ListAgenciesEndpoint
{
    public static void MapListAgencies(this IEndpointRouteBuilder agencies) =>
        agencies.MapGet("/", async Task<Results<Ok<Paged<AgencyResponse>>, ValidationProblem>> (IMediator mediator, CancellationToken cancellationToken,
                string? division = null, string? sector = null, int? page = null, int? pageSize = null) =>
            {
                if (division is not null && !DivisionFilter.IsValid(division))
                {
                    return DivisionFilter.Problem();
                }
                return TypedResults.Ok(await mediator.Send(new ListAgencies(division, sector, PageRequest.Of(page, pageSize)), cancellationToken));
            })
            .WithName("ListAgencies")
            .WithSummary("List agencies, filtered by division prefix and sector");
}
