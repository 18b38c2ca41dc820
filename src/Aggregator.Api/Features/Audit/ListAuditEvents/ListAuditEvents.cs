using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Api.Features.Shared;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Audit.ListAuditEvents;

/// <summary>One write or attempted write.</summary>
/// <param name="KeyId">The key used ("config" for the bootstrap admin key), or null when none or an invalid one was sent.</param>
/// <param name="Outcome">succeeded, rejected (4xx) or failed (5xx).</param>
public sealed record AuditEventResponse(
    long Id, DateTimeOffset At, string? KeyId, string? Role, string? ClientAddress, string Action, string Method, string Path,
    string? Agency, int? Year, int? Revision, int Status, string Outcome, string? Detail);

/// <param name="From">Events at or after this instant.</param>
/// <param name="To">Events before this instant.</param>
/// <param name="Page">A numbered page (from 1), counted with total; costs more the deeper it is. Without it the list is walked by cursor.</param>
/// <param name="Cursor">Where to continue: the next cursor of the page before (the Link header's rel="next" carries it), with the same filters.</param>
public sealed record ListAuditEvents(
    [FromQuery(Name = "agency")] string? Agency,
    [FromQuery(Name = "from")] DateTimeOffset? From,
    [FromQuery(Name = "to")] DateTimeOffset? To,
    [FromQuery(Name = "page")] int? Page,
    [FromQuery(Name = "pageSize")] int? PageSize,
    [FromQuery(Name = "cursor")] string? Cursor) : IQuery<Paged<AuditEventResponse>>, IPagedQuery;

public sealed class ListAuditEventsValidator : AbstractValidator<ListAuditEvents>
{
    public ListAuditEventsValidator()
    {
        RuleFor(q => q.Cursor).PageCursor(ListAuditEventsHandler.Order);
    }
}

public sealed class ListAuditEventsHandler(AggregatorDbContext db, AccessControl access) : IQueryHandler<ListAuditEvents, Paged<AuditEventResponse>>
{
    public async ValueTask<Paged<AuditEventResponse>> Handle(ListAuditEvents query, CancellationToken cancellationToken) =>
        await query.PageRequest().ReadAsync(Order(query), after => Events(query, after), e => new AuditPosition(e.Id), cancellationToken);

    /// <summary>The list's order under the query's filters, which its cursors belong to.</summary>
    public static PageCursor<AuditPosition> Order(ListAuditEvents query) =>
        new("audit", query.Agency, query.From?.ToUniversalTime(), query.To?.ToUniversalTime());

    /// <summary>The events the caller may read, newest first by id (the primary key), before <paramref name="after"/> when given.</summary>
    private IQueryable<AuditEventResponse> Events(ListAuditEvents query, AuditPosition? after)
    {
        var caller = access.Caller;
        var events = db.AuditEvents.AsNoTracking();
        if (!caller.IsAdmin)
        {
            // A region sees the writes to agencies inside its division.
            var inside = db.Agencies.Where(a => a.DivisionCode.StartsWith(caller.DivisionPrefix!)).Select(a => a.Code);
            events = events.Where(e => e.AgencyCode != null && inside.Contains(e.AgencyCode));
        }
        if (query.Agency is not null)
        {
            events = events.Where(e => e.AgencyCode == query.Agency);
        }
        if (query.From?.ToUniversalTime() is { } from)
        {
            events = events.Where(e => e.At >= from);
        }
        if (query.To?.ToUniversalTime() is { } to)
        {
            events = events.Where(e => e.At < to);
        }
        if (after is not null)
        {
            events = events.Where(e => e.Id < after.Id);
        }
        return events.OrderByDescending(e => e.Id)
            .Select(e => new AuditEventResponse(e.Id, e.At, e.KeyId, e.Role, e.ClientAddress, e.Action, e.Method, e.Path, e.AgencyCode, e.Year,
                e.Revision, e.Status, e.Outcome, e.Detail))
            .TagWith("ListAuditEvents");
    }
}

/// <summary>Where a walk through the audit (newest first) is: the last event's id.</summary>
public sealed record AuditPosition(long Id) : ICursorKey<AuditPosition>
{
    public void Write(CursorWriter writer) => writer.Add(Id);

    public static AuditPosition Read(ref CursorReader reader) => new(reader.Int64());
}

public static class ListAuditEventsEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/audit", async Task<Ok<Paged<AuditEventResponse>>> ([AsParameters] ListAuditEvents query, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(query, cancellationToken)))
            .WithTags("Audit")
            .WithName("ListAuditEvents")
            .WithSummary("Every write and attempted write, newest first (admin: all; region: agencies inside its division)")
            .RequireAuthorization(Policies.ReadAudit)
            .ProducesValidationProblem()
            .ProducesProblem(401)
            .ProducesProblem(403);
}
