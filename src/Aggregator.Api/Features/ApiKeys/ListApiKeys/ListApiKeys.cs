using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Access;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.ApiKeys.ListApiKeys;

public sealed record ListApiKeys(PageRequest Page) : IQuery<Paged<ApiKeyResponse>>;

public sealed class ListApiKeysHandler(AggregatorDbContext db, CurrentCaller current) : IQueryHandler<ListApiKeys, Paged<ApiKeyResponse>>
{
    public async ValueTask<Paged<ApiKeyResponse>> Handle(ListApiKeys query, CancellationToken cancellationToken)
    {
        var caller = current.Required;
        if (!caller.IsAdmin && caller.Role != Roles.Region)
        {
            throw new ForbiddenException("Only admin and region keys list keys.");
        }
        var keys = db.ApiKeys.AsNoTracking().AdministeredBy(caller);
        var total = await keys.CountAsync(cancellationToken);
        var page = await keys.OrderBy(k => k.CreatedAt).Skip(query.Page.Skip).Take(query.Page.PageSize)
            .Select(k => new ApiKeyResponse(k.Id, k.Role, k.Agency == null ? null : k.Agency.Code, k.DivisionPrefix, k.CreatedAt, k.IssuedBy,
                k.ExpiresAt, k.RevokedAt, k.LastUsedAt))
            .ToListAsync(cancellationToken);
        return new Paged<ApiKeyResponse>(page, query.Page.Page, query.Page.PageSize, total);
    }
}

public static class ListApiKeysEndpoint
{
    public static void Map(IEndpointRouteBuilder keys) =>
        keys.MapGet("/", async (IMediator mediator, CancellationToken cancellationToken, int? page = null, int? pageSize = null) =>
                TypedResults.Ok(await mediator.Send(new ListApiKeys(PageRequest.Of(page, pageSize)), cancellationToken)))
            .WithName("ListApiKeys")
            .WithSummary("List the keys you administer (never their secrets), with their last use")
            .RequireApiKey();
}
