using Aggregator.Api.Data;

namespace Aggregator.Api.Features.Agencies;

public sealed record AgencyResponse(string Code, string Name, string DivisionCode, string Sector, DateTimeOffset RegisteredAt)
{
    public static AgencyResponse From(Agency agency) =>
        new(agency.Code, agency.Name, agency.DivisionCode, agency.Sector, agency.RegisteredAt);
}
