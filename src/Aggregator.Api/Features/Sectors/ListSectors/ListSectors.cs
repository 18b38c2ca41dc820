using Aggregator.Domain;
using Mediator;

namespace Aggregator.Api.Features.Sectors.ListSectors;

public sealed record ListSectors : IQuery<IReadOnlyList<SectorResponse>>;

public sealed record SectorResponse(string Code, string Name);

public sealed class ListSectorsHandler : IQueryHandler<ListSectors, IReadOnlyList<SectorResponse>>
{
    private static readonly SectorResponse[] All = SectorCatalogue.All.Select(s => new SectorResponse(s.Code, s.Name)).ToArray();

    public ValueTask<IReadOnlyList<SectorResponse>> Handle(ListSectors query, CancellationToken cancellationToken) => new(All);
}

public static class ListSectorsEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/sectors", async Task<Ok<IReadOnlyList<SectorResponse>>> (IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new ListSectors(), cancellationToken)))
            .WithTags("Sectors")
            .WithName("ListSectors")
            .WithSummary("The sectors agencies are registered under");
}
