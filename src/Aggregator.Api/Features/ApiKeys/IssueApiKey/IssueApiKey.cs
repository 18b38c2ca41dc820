using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Infrastructure.Access;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.ApiKeys.IssueApiKey;

/// <summary>Issues an API key.</summary>
/// <param name="Role">admin (everything), region (agencies inside a division) or bureau (one agency).</param>
/// <param name="Agency">For a bureau key: the code of its agency.</param>
/// <param name="Division">For a region key: its division prefix, 2, 4 or 6 digits (e.g. 6542).</param>
/// <param name="ExpiresAt">When the key stops working; null for never.</param>
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
        RuleFor(c => c.Division).NotEmpty().When(c => c.Role == Roles.Region).WithMessage("A region key needs a division prefix, e.g. 6542.");
        RuleFor(c => c.Division).Must(d => d is null || Features.DivisionFilter.IsValid(d))
            .WithMessage(Features.DivisionFilter.Message);
        RuleFor(c => c.Division).Empty().When(c => c.Role != Roles.Region).WithMessage("Only a region key has a division.");
        RuleFor(c => c.ExpiresAt).Must(e => e is null || e > clock.GetUtcNow()).WithMessage("Must be in the future.");
    }
}

public sealed class IssueApiKeyHandler(AggregatorDbContext db, TimeProvider clock, CurrentCaller current) : ICommandHandler<IssueApiKey, IssuedApiKey>
{
    public async ValueTask<IssuedApiKey> Handle(IssueApiKey command, CancellationToken cancellationToken)
    {
        var caller = current.Required;
        Agency? agency = null;
        if (command.Agency is not null)
        {
            agency = await db.Agencies.SingleOrDefaultAsync(a => a.Code == command.Agency, cancellationToken)
                     ?? throw new InputException("agency", $"No agency with code '{command.Agency}'.");
        }
        var allowed = caller.IsAdmin || caller.Role == Roles.Region && command.Role == Roles.Bureau && caller.MayWrite(agency!.Code, agency.DivisionCode);
        if (!allowed)
        {
            throw new ForbiddenException(caller.Role == Roles.Region
                ? $"A region key issues bureau keys for agencies inside division {caller.DivisionPrefix} only."
                : "Only admin and region keys issue keys.");
        }

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
            IssuedBy = caller.KeyId,
            ExpiresAt = command.ExpiresAt?.ToUniversalTime(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return new IssuedApiKey(id, command.Role, agency?.Code, command.Division, command.ExpiresAt, key);
    }
}

public static class IssueApiKeyEndpoint
{
    public static void Map(IEndpointRouteBuilder keys) =>
        keys.MapPost("/", async Task<Results<Created<IssuedApiKey>, ValidationProblem, ProblemHttpResult>> (IssueApiKey command, IMediator mediator, CancellationToken cancellationToken) =>
            {
                var issued = await mediator.Send(command, cancellationToken);
                return TypedResults.Created($"/api/v1/api-keys/{issued.Id}", issued);
            })
            .WithName("IssueApiKey")
            .WithSummary("Issue an API key (admin: any; region: bureau keys for agencies inside its division)")
            .Audited("IssueApiKey")
            .RequireApiKey();
}
