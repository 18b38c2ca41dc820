using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Api.Features.Shared;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.ApiKeys.ListApiKeys;

/// <param name="Page">A numbered page (from 1), counted with total; costs more the deeper it is. Without it the list is walked by cursor.</param>
/// <param name="Cursor">Where to continue: the next cursor of the page before (the Link header's rel="next" carries it).</param>
public sealed record ListApiKeys(
    [FromQuery(Name = "page")] int? Page,
    [FromQuery(Name = "pageSize")] int? PageSize,
    [FromQuery(Name = "cursor")] string? Cursor) : IQuery<Paged<ApiKeyResponse>>, IPagedQuery;

public sealed class ListApiKeysValidator : AbstractValidator<ListApiKeys>
{
    public ListApiKeysValidator()
    {
        RuleFor(q => q.Cursor).PageCursor(ListApiKeysHandler.Order);
    }
}

public sealed class ListApiKeysHandler(AggregatorDbContext db, AccessControl access) : IQueryHandler<ListApiKeys, Paged<ApiKeyResponse>>
{
    public async ValueTask<Paged<ApiKeyResponse>> Handle(ListApiKeys query, CancellationToken cancellationToken) =>
        await query.PageRequest().ReadAsync(Order(query), after => Keys(after), k => new ApiKeyPosition(k.CreatedAt, k.Id), cancellationToken);

    /// <summary>The list's order, which its cursors belong to (it has no filters).</summary>
    public static PageCursor<ApiKeyPosition> Order(ListApiKeys query) => new("api-keys");

    /// <summary>The keys the caller administers, oldest first by issue time and id (an index), after <paramref name="after"/> when given.</summary>
    private IQueryable<ApiKeyResponse> Keys(ApiKeyPosition? after)
    {
        var keys = db.ApiKeys.AsNoTracking().AdministeredBy(access.Caller);
        if (after is not null)
        {
            keys = keys.Where(k => EF.Functions.GreaterThan(ValueTuple.Create(k.CreatedAt, k.Id), ValueTuple.Create(after.CreatedAt, after.Id)));
        }
        return keys.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id)
            .Select(k => new ApiKeyResponse(k.Id, k.Role, k.Agency == null ? null : k.Agency.Code, k.DivisionPrefix, k.CreatedAt, k.IssuedBy,
                k.ExpiresAt, k.RevokedAt, k.LastUsedAt))
            .TagWith("ListApiKeys");
    }
}

/// <summary>Where a walk through the keys is: the last key's issue time and id.</summary>
public sealed record ApiKeyPosition(DateTimeOffset CreatedAt, Guid Id) : ICursorKey<ApiKeyPosition>
{
    public void Write(CursorWriter writer) => writer.Add(CreatedAt).Add(Id);

    public static ApiKeyPosition Read(ref CursorReader reader) => new(reader.Instant(), reader.Guid());
}

public static class ListApiKeysEndpoint
{
    public static void Map(IEndpointRouteBuilder keys) =>
        keys.MapGet("/", async Task<Ok<Paged<ApiKeyResponse>>> ([AsParameters] ListApiKeys query, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(query, cancellationToken)))
            .WithName("ListApiKeys")
            .WithSummary("List the keys you administer (never their secrets), with their last use")
            .RequireAuthorization(Policies.ListKeys)
            .ProducesValidationProblem()
            .ProducesProblem(401)
            .ProducesProblem(403);
}
