using Aggregator.Api.Data;

namespace Aggregator.Api.Features.Agencies;

/// <param name="ActiveFrom">First report year the agency is expected to report for; null: from 2019.</param>
/// <param name="ActiveTo">Last report year it is expected to report for; null: still active.</param>
public sealed record AgencyResponse(string Code, string Name, string DivisionCode, string Sector, DateTimeOffset RegisteredAt, int? ActiveFrom, int? ActiveTo)
{
    public static AgencyResponse From(Agency agency) =>
        new(agency.Code, agency.Name, agency.DivisionCode, agency.Sector, agency.RegisteredAt, agency.ActiveFrom, agency.ActiveTo);
}

public static class AgencyEndpoints
{
    public static void MapAgencies(this IEndpointRouteBuilder api)
    {
        var agencies = api.MapGroup("/agencies").WithTags("Agencies");
        RegisterAgency.RegisterAgencyEndpoint.Map(agencies);
        ListAgencies.ListAgenciesEndpoint.Map(agencies);
        GetAgency.GetAgencyEndpoint.Map(agencies);
    }
}
