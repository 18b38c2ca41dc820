using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Api.Features.Shared;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.ApiKeys.ListApiKeys;

public sealed record ListApiKeys(
    [FromQuery(Name = "page")] int? Page,
    [FromQuery(Name = "pageSize")] int? PageSize) : IQuery<Paged<ApiKeyResponse>>;

public sealed class ListApiKeysHandler(AggregatorDbContext db, AccessControl access) : IQueryHandler<ListApiKeys, Paged<ApiKeyResponse>>
{
    public async ValueTask<Paged<ApiKeyResponse>> Handle(ListApiKeys query, CancellationToken cancellationToken)
    {
        var page = PageRequest.Of(query.Page, query.PageSize);
        var keys = db.ApiKeys.AsNoTracking().AdministeredBy(access.Caller);
        var total = await keys.CountAsync(cancellationToken);
        var items = await keys.OrderBy(k => k.CreatedAt).Skip(page.Skip).Take(page.PageSize)
            .Select(k => new ApiKeyResponse(k.Id, k.Role, k.Agency == null ? null : k.Agency.Code, k.DivisionPrefix, k.CreatedAt, k.IssuedBy,
                k.ExpiresAt, k.RevokedAt, k.LastUsedAt))
            .ToListAsync(cancellationToken);
        return new Paged<ApiKeyResponse>(items, page.Page, page.PageSize, total);
    }
}

public static class ListApiKeysEndpoint
{
    public static void Map(IEndpointRouteBuilder keys) =>
        keys.MapGet("/", async Task<Ok<Paged<ApiKeyResponse>>> ([AsParameters] ListApiKeys query, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(query, cancellationToken)))
            .WithName("ListApiKeys")
            .WithSummary("List the keys you administer (never their secrets), with their last use")
            .RequireAuthorization(Policies.ListKeys)
            .ProducesProblem(401)
            .ProducesProblem(403);
}
