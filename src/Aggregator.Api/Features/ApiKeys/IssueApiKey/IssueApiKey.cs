using Aggregator.Api.Data;
using Aggregator.Api.Features.Shared;
using Aggregator.Api.Infrastructure.Audit;
using Aggregator.Api.Infrastructure.Problems;
using Aggregator.Api.Infrastructure.Access;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.ApiKeys.IssueApiKey;

/// <summary>Issues an API key.</summary>
/// <param name="Role">admin (everything), region (agencies inside a division) or bureau (one agency).</param>
/// <param name="Agency">For a bureau key: the code of its agency.</param>
/// <param name="Division">For a region key: its division prefix, 2, 4 or 6 digits (e.g. 6542).</param>
/// <param name="ExpiresAt">When the key stops working; null for never. A key issued by an expiring key expires with it at the latest.</param>
public sealed record IssueApiKey(string Role, string? Agency = null, string? Division = null, DateTimeOffset? ExpiresAt = null) : ICommand<IssuedApiKey>;

/// <summary>The new key. <paramref name="Key"/> is the secret: shown here once, stored only as a salted hash.</summary>
public sealed record IssuedApiKey(Guid Id, string Role, string? Agency, string? Division, DateTimeOffset? ExpiresAt, string Key);

public sealed class IssueApiKeyValidator : AbstractValidator<IssueApiKey>
{
    public IssueApiKeyValidator(TimeProvider clock)
    {
        RuleFor(c => c.Role).Must(Roles.All.Contains).WithMessage($"Must be one of: {string.Join(", ", Roles.All)}.");
        RuleFor(c => c.Agency).NotEmpty().When(c => c.Role == Roles.Bureau).WithMessage("A bureau key needs the code of its agency.");
        RuleFor(c => c.Agency).Empty().When(c => c.Role != Roles.Bureau).WithMessage("Only a bureau key has an agency.");
        // No agency code holds one, and PostgreSQL cannot even look up a text with a NUL (it answered 500).
        RuleFor(c => c.Agency).Must(a => a is null || !a.Any(char.IsControl)).WithMessage("Must not contain control characters.");
        // No agency has a longer code; the answer never quotes megabytes back (found by the HTTP fuzz, seed 7).
        RuleFor(c => c.Agency).MaximumLength(64).WithMessage("An agency code is at most 64 characters.");
        RuleFor(c => c.Division).NotEmpty().When(c => c.Role == Roles.Region).WithMessage("A region key needs a division prefix, e.g. 6542.");
        RuleFor(c => c.Division).DivisionPrefix();
        RuleFor(c => c.Division).Empty().When(c => c.Role != Roles.Region).WithMessage("Only a region key has a division.");
        RuleFor(c => c.ExpiresAt).Must(e => e is null || e > clock.GetUtcNow()).WithMessage("Must be in the future.");
    }
}

public sealed class IssueApiKeyHandler(AggregatorDbContext db, TimeProvider clock, AccessControl access) : ICommandHandler<IssueApiKey, IssuedApiKey>
{
    public async ValueTask<IssuedApiKey> Handle(IssueApiKey command, CancellationToken cancellationToken)
    {
        Agency? agency = null;
        if (command.Agency is not null)
        {
            agency = await db.Agencies.SingleOrDefaultAsync(a => a.Code == command.Agency, cancellationToken)
                     ?? throw new InputException("agency", $"No agency with code '{command.Agency}'.");
        }
        await access.DemandAsync(new KeyResource(command.Role, agency is null ? null : new AgencyResource(agency.Code, agency.DivisionCode)), Operations.Issue);

        // A key does not outlive the key that issued it: revoking the issuer revokes it (RevokeApiKey), and it expires
        // with the issuer at the latest.
        var issuer = access.Caller.KeyId;
        var issuerExpiry = Guid.TryParse(issuer, out var issuerId)
            ? await db.ApiKeys.Where(k => k.Id == issuerId).Select(k => k.ExpiresAt).SingleOrDefaultAsync(cancellationToken)
            : null;
        var expiresAt = command.ExpiresAt?.ToUniversalTime() is { } requested && (issuerExpiry is null || requested < issuerExpiry) ? requested : issuerExpiry;

        var id = Guid.NewGuid();
        var (key, salt, hash) = ApiKeySecrets.Create(id);
        db.ApiKeys.Add(new ApiKey
        {
            Id = id,
            Role = command.Role,
            AgencyId = agency?.Id,
            DivisionPrefix = command.Division,
            Salt = salt,
            SecretHash = hash,
            CreatedAt = clock.GetUtcNow(),
            IssuedBy = issuer,
            ExpiresAt = expiresAt,
        });
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedApiKey(id, command.Role, agency?.Code, command.Division, expiresAt, key);
    }
}

public static class IssueApiKeyEndpoint
{
    public static void Map(IEndpointRouteBuilder keys) =>
        keys.MapPost("/", async Task<Created<IssuedApiKey>> (IssueApiKey command, IMediator mediator, CancellationToken cancellationToken) =>
            {
                var issued = await mediator.Send(command, cancellationToken);
                return TypedResults.Created($"/api/v1/api-keys/{issued.Id}", issued);
            })
            .WithName("IssueApiKey")
            .WithSummary("Issue an API key (admin: any; region: bureau keys for agencies inside its division)")
            .Audited("IssueApiKey")
            .RequireAuthorization(Policies.IssueKeys)
            .ProducesValidationProblem()
            .ProducesProblem(401)
            .ProducesProblem(403)
            .ProducesProblem(415);
}
