using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Api.Infrastructure.Audit;
using Aggregator.Api.Infrastructure.Problems;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.ApiKeys.RevokeApiKey;

/// <summary>
/// Revokes a key at once, and with it every key it issued (and those they issued): no key outlives its issuer.
/// Revoking a revoked key changes nothing.
/// </summary>
public sealed record RevokeApiKey(Guid Id) : ICommand;

public sealed class RevokeApiKeyHandler(AggregatorDbContext db, TimeProvider clock, AccessControl access) : ICommandHandler<RevokeApiKey>
{
    public async ValueTask<Unit> Handle(RevokeApiKey command, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.Id == command.Id)
                      .Select(k => new { k.Role, Agency = k.Agency == null ? null : new AgencyResource(k.Agency.Code, k.Agency.DivisionCode) })
                      .SingleOrDefaultAsync(cancellationToken)
                  ?? throw new NotFoundException($"No API key {command.Id}.");
        await access.DemandAsync(new KeyResource(key.Role, key.Agency), Operations.Revoke);
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            WITH RECURSIVE revoked AS (
                SELECT {command.Id}::uuid AS id
                UNION
                SELECT k.id FROM api_keys k JOIN revoked r ON k.issued_by = r.id::text
            )
            UPDATE api_keys SET revoked_at = {now} WHERE id IN (SELECT id FROM revoked) AND revoked_at IS NULL
            """, cancellationToken);
        return Unit.Value;
    }
}

public static class RevokeApiKeyEndpoint
{
    public static void Map(IEndpointRouteBuilder keys) =>
        keys.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, IMediator mediator, CancellationToken cancellationToken) =>
            {
                await mediator.Send(new RevokeApiKey(id), cancellationToken);
                return TypedResults.NoContent();
            })
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key and every key it issued; they stop working at once")
            .Audited("RevokeApiKey")
            .RequireAuthorization(Policies.RevokeKeys)
            .ProducesProblem(401)
            .ProducesProblem(403)
            .ProducesProblem(404);
}
