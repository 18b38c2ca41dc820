using Aggregator.Domain;

namespace Aggregator.Api.Features.Sectors.ListSectors;

public sealed record SectorResponse(string Code, string Name);

public static class ListSectorsEndpoint
{
    private static readonly SectorResponse[] All = SectorCatalogue.All.Select(s => new SectorResponse(s.Code, s.Name)).ToArray();

    public static void MapSectors(this IEndpointRouteBuilder api) =>
        api.MapGet("/sectors", () => TypedResults.Ok<IReadOnlyList<SectorResponse>>(All))
            .WithTags("Sectors")
            .WithName("ListSectors")
            .WithSummary("The sectors agencies are registered under");
}
