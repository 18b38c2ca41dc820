using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Infrastructure.Access;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.ApiKeys.RevokeApiKey;

/// <summary>Revokes a key at once. Revoking a revoked key changes nothing.</summary>
public sealed record RevokeApiKey(Guid Id) : ICommand;

public sealed class RevokeApiKeyHandler(AggregatorDbContext db, TimeProvider clock, CurrentCaller current) : ICommandHandler<RevokeApiKey>
{
    public async ValueTask<Unit> Handle(RevokeApiKey command, CancellationToken cancellationToken)
    {
        var caller = current.Required;
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == command.Id, cancellationToken)
                  ?? throw new NotFoundException($"No API key {command.Id}.");
        if (!await db.ApiKeys.AdministeredBy(caller).AnyAsync(k => k.Id == key.Id, cancellationToken))
        {
            throw new ForbiddenException(caller.Role == Roles.Region
                ? $"A region key revokes bureau keys of agencies inside division {caller.DivisionPrefix} only."
                : "Only admin and region keys revoke keys.");
        }
        key.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

public static class RevokeApiKeyEndpoint
{
    public static void Map(IEndpointRouteBuilder keys) =>
        keys.MapDelete("/{id:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, IMediator mediator, CancellationToken cancellationToken) =>
            {
                await mediator.Send(new RevokeApiKey(id), cancellationToken);
                return TypedResults.NoContent();
            })
            .WithName("RevokeApiKey")
            .WithSummary("Revoke an API key; it stops working at once")
            .Audited("RevokeApiKey")
            .RequireApiKey()
            .ProducesProblem(404);
}
