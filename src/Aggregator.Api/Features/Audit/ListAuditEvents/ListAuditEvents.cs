using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Access;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Audit.ListAuditEvents;

/// <summary>One write or attempted write.</summary>
/// <param name="KeyId">The key used ("config" for the bootstrap admin key), or null when none or an invalid one was sent.</param>
/// <param name="Outcome">succeeded, rejected (4xx) or failed (5xx).</param>
public sealed record AuditEventResponse(
    long Id, DateTimeOffset At, string? KeyId, string? Role, string? ClientAddress, string Action, string Method, string Path,
    string? Agency, int? Year, int? Revision, int Status, string Outcome, string? Detail);

public sealed record ListAuditEvents(string? Agency, DateTimeOffset? From, DateTimeOffset? To, PageRequest Page) : IQuery<Paged<AuditEventResponse>>;

public sealed class ListAuditEventsHandler(AggregatorDbContext db, CurrentCaller current) : IQueryHandler<ListAuditEvents, Paged<AuditEventResponse>>
{
    public async ValueTask<Paged<AuditEventResponse>> Handle(ListAuditEvents query, CancellationToken cancellationToken)
    {
        var caller = current.Required;
        if (!caller.IsAdmin && caller.Role != Roles.Region)
        {
            throw new ForbiddenException("Only admin and region keys read the audit.");
        }
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
        var page = await events.OrderByDescending(e => e.Id).Skip(query.Page.Skip).Take(query.Page.PageSize)
            .Select(e => new AuditEventResponse(e.Id, e.At, e.KeyId, e.Role, e.ClientAddress, e.Action, e.Method, e.Path, e.AgencyCode, e.Year,
                e.Revision, e.Status, e.Outcome, e.Detail))
            .ToListAsync(cancellationToken);
        return new Paged<AuditEventResponse>(page, query.Page.Page, query.Page.PageSize, total);
    }
}

public static class ListAuditEventsEndpoint
{
    public static void MapAudit(this IEndpointRouteBuilder api) =>
        api.MapGet("/audit", async (IMediator mediator, CancellationToken cancellationToken,
                string? agency = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int? page = null, int? pageSize = null) =>
                TypedResults.Ok(await mediator.Send(new ListAuditEvents(agency, from, to, PageRequest.Of(page, pageSize)), cancellationToken)))
            .WithTags("Audit")
            .WithName("ListAuditEvents")
            .WithSummary("Every write and attempted write, newest first (admin: all; region: agencies inside its division)")
            .RequireApiKey();
}
