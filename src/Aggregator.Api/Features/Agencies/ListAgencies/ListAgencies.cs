using Aggregator.Api.Data;
using Aggregator.Api.Features.Shared;
using Aggregator.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Agencies.ListAgencies;

/// <param name="Division">A 2-, 4- or 6-digit GB/T 2260 prefix.</param>
/// <param name="Page">A numbered page (from 1), counted with total; costs more the deeper it is. Without it the list is walked by cursor.</param>
/// <param name="Cursor">Where to continue: the next cursor of the page before (the Link header's rel="next" carries it), with the same filters.</param>
public sealed record ListAgencies(
    [FromQuery(Name = "division")] string? Division,
    [FromQuery(Name = "sector")] string? Sector,
    [FromQuery(Name = "page")] int? Page,
    [FromQuery(Name = "pageSize")] int? PageSize,
    [FromQuery(Name = "cursor")] string? Cursor) : IQuery<Paged<AgencyResponse>>, IPagedQuery;

public sealed class ListAgenciesValidator : AbstractValidator<ListAgencies>
{
    public ListAgenciesValidator()
    {
        RuleFor(q => q.Division).DivisionPrefix();
        RuleFor(q => q.Sector).SectorCode();
        RuleFor(q => q.Cursor).PageCursor(ListAgenciesHandler.Order);
    }
}

public sealed class ListAgenciesHandler(ReadDatabase reads) : IQueryHandler<ListAgencies, Paged<AgencyResponse>>
{
    private readonly AggregatorDbContext db = reads.Db; // lists read a standby when one is configured

    public async ValueTask<Paged<AgencyResponse>> Handle(ListAgencies query, CancellationToken cancellationToken) =>
        await query.PageRequest().ReadAsync(Order(query), after => Agencies(query, after), a => new AgencyPosition(a.Code), cancellationToken);

    /// <summary>The list's order under the query's filters, which its cursors belong to.</summary>
    public static PageCursor<AgencyPosition> Order(ListAgencies query)
    {
        var filter = ReportFilter.Of(query.Division, query.Sector);
        return new PageCursor<AgencyPosition>("agencies", filter.Division, filter.Sector);
    }

    /// <summary>The matching agencies by code (the unique index), after <paramref name="after"/> when given.</summary>
    private IQueryable<AgencyResponse> Agencies(ListAgencies query, AgencyPosition? after)
    {
        var agencies = db.Agencies.AsNoTracking().Within(ReportFilter.Of(query.Division, query.Sector));
        if (after is not null)
        {
            agencies = agencies.Where(a => string.Compare(a.Code, after.Code) > 0);
        }
        return agencies.OrderBy(a => a.Code)
            .Select(a => new AgencyResponse(a.Code, a.Name, a.DivisionCode, a.Sector, a.RegisteredAt, a.ActiveFrom, a.ActiveTo))
            .TagWith("ListAgencies");
    }
}

/// <summary>Where a walk through the agencies is: the last agency's code.</summary>
public sealed record AgencyPosition(string Code) : ICursorKey<AgencyPosition>
{
    public void Write(CursorWriter writer) => writer.Add(Code);

    public static AgencyPosition Read(ref CursorReader reader) => new(reader.String());
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
