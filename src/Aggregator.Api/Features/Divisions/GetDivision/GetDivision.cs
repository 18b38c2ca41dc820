using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Problems;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Divisions.GetDivision;

public sealed record DivisionSummary(string Code, string Name, string Level);

/// <summary>A division with its parent (null for a province) and the divisions directly under it.</summary>
public sealed record DivisionResponse(string Code, string Name, string Level, DivisionSummary? Parent, IReadOnlyList<DivisionSummary> Children);

public sealed record GetDivision(string Code) : IQuery<DivisionResponse>;

public sealed class GetDivisionHandler(AggregatorDbContext db) : IQueryHandler<GetDivision, DivisionResponse>
{
    public async ValueTask<DivisionResponse> Handle(GetDivision query, CancellationToken cancellationToken)
    {
        var division = await db.Divisions.AsNoTracking().SingleOrDefaultAsync(d => d.Code == query.Code, cancellationToken)
                       ?? throw new NotFoundException($"No GB/T 2260 division with code '{query.Code}'.");
        var parent = division.ParentCode is null ? null
            : await db.Divisions.AsNoTracking().Where(d => d.Code == division.ParentCode)
                .Select(d => new DivisionSummary(d.Code, d.Name, d.Level)).SingleOrDefaultAsync(cancellationToken);
        var children = await db.Divisions.AsNoTracking().Where(d => d.ParentCode == division.Code).OrderBy(d => d.Code)
            .Select(d => new DivisionSummary(d.Code, d.Name, d.Level)).ToListAsync(cancellationToken);
        return new DivisionResponse(division.Code, division.Name, division.Level, parent, children);
    }
}

public static class GetDivisionEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/divisions/{code}", async Task<Ok<DivisionResponse>> (string code, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new GetDivision(code), cancellationToken)))
            .WithTags("Divisions")
            .WithName("GetDivision")
            .WithSummary("A GB/T 2260 division (province, prefecture or county) with its parent and children")
            .ProducesProblem(404);
}
