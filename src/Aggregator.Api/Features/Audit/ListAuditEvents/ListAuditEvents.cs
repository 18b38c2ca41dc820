using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Api.Features.Shared;
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
public sealed record ListAuditEvents(
    [FromQuery(Name = "agency")] string? Agency,
    [FromQuery(Name = "from")] DateTimeOffset? From,
    [FromQuery(Name = "to")] DateTimeOffset? To,
    [FromQuery(Name = "page")] int? Page,
    [FromQuery(Name = "pageSize")] int? PageSize) : IQuery<Paged<AuditEventResponse>>;

public sealed class ListAuditEventsHandler(AggregatorDbContext db, AccessControl access) : IQueryHandler<ListAuditEvents, Paged<AuditEventResponse>>
{
    public async ValueTask<Paged<AuditEventResponse>> Handle(ListAuditEvents query, CancellationToken cancellationToken)
    {
        var caller = access.Caller;
        var page = PageRequest.Of(query.Page, query.PageSize);
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
        var total = await events.CountAsync(cancellationToken);
        var items = await events.OrderByDescending(e => e.Id).Skip(page.Skip).Take(page.PageSize)
            .Select(e => new AuditEventResponse(e.Id, e.At, e.KeyId, e.Role, e.ClientAddress, e.Action, e.Method, e.Path, e.AgencyCode, e.Year,
                e.Revision, e.Status, e.Outcome, e.Detail))
            .ToListAsync(cancellationToken);
        return new Paged<AuditEventResponse>(items, page.Page, page.PageSize, total);
    }
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
            .ProducesProblem(401)
            .ProducesProblem(403);
}
