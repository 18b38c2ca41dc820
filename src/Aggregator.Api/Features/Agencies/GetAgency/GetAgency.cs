using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Problems;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Agencies.GetAgency;

public sealed record GetAgency(string Code) : IQuery<AgencyResponse>;

public sealed class GetAgencyValidator : AbstractValidator<GetAgency>
{
    public GetAgencyValidator() => RuleFor(q => q.Code).MaximumLength(64);
}

public sealed class GetAgencyHandler(AggregatorDbContext db) : IQueryHandler<GetAgency, AgencyResponse>
{
    public async ValueTask<AgencyResponse> Handle(GetAgency query, CancellationToken cancellationToken) =>
        await db.Agencies.AsNoTracking().Where(a => a.Code == query.Code)
            .Select(a => new AgencyResponse(a.Code, a.Name, a.DivisionCode, a.Sector, a.RegisteredAt, a.ActiveFrom, a.ActiveTo))
            .SingleOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException($"No agency with code '{query.Code}'.");
}

public static class GetAgencyEndpoint
{
    public static void Map(IEndpointRouteBuilder agencies) =>
        agencies.MapGet("/{code}", async Task<Ok<AgencyResponse>> (string code, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new GetAgency(code), cancellationToken)))
            .WithName("GetAgency")
            .WithSummary("Get one agency")
            .ProducesProblem(404);
}
