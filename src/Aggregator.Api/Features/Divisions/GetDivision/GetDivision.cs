using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Divisions.GetDivision;

public sealed record DivisionSummary(string Code, string Name, string Level);

/// <summary>A division with its parent (null for a province) and the divisions directly under it.</summary>
public sealed record DivisionResponse(string Code, string Name, string Level, DivisionSummary? Parent, IReadOnlyList<DivisionSummary> Children);

public sealed record GetDivision(string Code) : IQuery<DivisionResponse?>;

public sealed class GetDivisionHandler(AggregatorDbContext db) : IQueryHandler<GetDivision, DivisionResponse?>
{
    public async ValueTask<DivisionResponse?> Handle(GetDivision query, CancellationToken cancellationToken)
    {
        var division = await db.Divisions.AsNoTracking().SingleOrDefaultAsync(d => d.Code == query.Code, cancellationToken);
        if (division is null)
        {
            return null;
        }
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
    public static void MapDivisions(this IEndpointRouteBuilder api) =>
        api.MapGet("/divisions/{code}", async Task<Results<Ok<DivisionResponse>, ProblemHttpResult>> (string code, IMediator mediator, CancellationToken cancellationToken) =>
                await mediator.Send(new GetDivision(code), cancellationToken) is { } division
                    ? TypedResults.Ok(division)
                    : Problem.Of(404, "Not found.", $"No GB/T 2260 division with code '{code}'."))
            .WithTags("Divisions")
            .WithName("GetDivision")
            .WithSummary("A GB/T 2260 division (province, prefecture or county) with its parent and children")
            .ProducesProblem(404);
}
