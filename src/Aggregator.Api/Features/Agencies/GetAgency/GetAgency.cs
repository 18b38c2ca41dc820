using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Agencies.GetAgency;

public sealed record GetAgency(string Code) : IQuery<AgencyResponse?>;

public sealed class GetAgencyHandler(AggregatorDbContext db) : IQueryHandler<GetAgency, AgencyResponse?>
{
    public async ValueTask<AgencyResponse?> Handle(GetAgency query, CancellationToken cancellationToken) =>
        await db.Agencies.AsNoTracking().Where(a => a.Code == query.Code)
            .Select(a => new AgencyResponse(a.Code, a.Name, a.DivisionCode, a.Sector, a.RegisteredAt, a.ActiveFrom, a.ActiveTo))
            .SingleOrDefaultAsync(cancellationToken);
}

public static class GetAgencyEndpoint
{
    public static void MapGetAgency(this IEndpointRouteBuilder agencies) =>
        agencies.MapGet("/{code}", async Task<Results<Ok<AgencyResponse>, ProblemHttpResult>> (string code, IMediator mediator, CancellationToken cancellationToken) =>
                await mediator.Send(new GetAgency(code), cancellationToken) is { } agency
                    ? TypedResults.Ok(agency)
                    : Problem.Of(404, "Not found.", $"No agency with code '{code}'."))
            .WithName("GetAgency")
            .WithSummary("Get one agency")
            .ProducesProblem(404);
}
