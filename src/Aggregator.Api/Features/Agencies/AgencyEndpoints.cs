using Aggregator.Api.Features.Agencies.GetAgency;
using Aggregator.Api.Features.Agencies.ListAgencies;
using Aggregator.Api.Features.Agencies.RegisterAgency;

namespace Aggregator.Api.Features.Agencies;

public static class AgencyEndpoints
{
    public static void MapAgencies(this IEndpointRouteBuilder api)
    {
        var agencies = api.MapGroup("/agencies").WithTags("Agencies");
        agencies.MapRegisterAgency();
        agencies.MapListAgencies();
        agencies.MapGetAgency();
    }
}
