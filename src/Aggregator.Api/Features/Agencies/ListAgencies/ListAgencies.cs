using Aggregator.Api.Data;
using Aggregator.Api.Features.Shared;
using Aggregator.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Agencies.ListAgencies;

/// <param name="Division">A 2-, 4- or 6-digit GB/T 2260 prefix.</param>
public sealed record ListAgencies(
    [FromQuery(Name = "division")] string? Division,
    [FromQuery(Name = "sector")] string? Sector,
    [FromQuery(Name = "page")] int? Page,
    [FromQuery(Name = "pageSize")] int? PageSize) : IQuery<Paged<AgencyResponse>>;

public sealed class ListAgenciesValidator : AbstractValidator<ListAgencies>
{
    public ListAgenciesValidator()
    {
        RuleFor(q => q.Division).DivisionPrefix();
        RuleFor(q => q.Sector).SectorCode();
    }
}

public sealed class ListAgenciesHandler(AggregatorDbContext db) : IQueryHandler<ListAgencies, Paged<AgencyResponse>>
{
    public async ValueTask<Paged<AgencyResponse>> Handle(ListAgencies query, CancellationToken cancellationToken)
    {
        var agencies = db.Agencies.AsNoTracking().Within(ReportFilter.Of(query.Division, query.Sector));
        var page = PageRequest.Of(query.Page, query.PageSize);
        var total = await agencies.CountAsync(cancellationToken);
        var items = await agencies.OrderBy(a => a.Code).Skip(page.Skip).Take(page.PageSize)
            .Select(a => new AgencyResponse(a.Code, a.Name, a.DivisionCode, a.Sector, a.RegisteredAt, a.ActiveFrom, a.ActiveTo))
            .ToListAsync(cancellationToken);
        return new Paged<AgencyResponse>(items, page.Page, page.PageSize, total);
    }
}

public static class ListAgenciesEndpoint
{
    public static void Map(IEndpointRouteBuilder agencies) =>
        agencies.MapGet("/", async Task<Ok<Paged<AgencyResponse>>> ([AsParameters] ListAgencies query, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(query, cancellationToken)))
            .WithName("ListAgencies")
            .WithSummary("List agencies, filtered by division prefix and sector")
            .ProducesValidationProblem();
}
