using System.Text.Encodings.Web;
using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aggregator.Api.Infrastructure.Access;

/// <summary>
/// Authenticates the key in <c>X-Api-Key</c>: the bootstrap admin key from configuration, or an issued key (found by
/// its id, its secret checked against the salted hash) that is neither revoked nor expired. Challenges answer 401
/// problem+json saying why the key was not accepted. A key that cannot be checked because the database is down is not
/// refused: the failure propagates and answers 503 (<see cref="Problems.DatabaseOutage"/>).
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory logger, UrlEncoder encoder,
    AggregatorDbContext db, IOptions<AggregatorOptions> options, TimeProvider clock, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    /// <summary>Last use is written at most this often per key, so reads with a key do not each cost a write.</summary>
    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(presented))
        {
            return AuthenticateResult.NoResult();
        }
        if (options.Value.AdminApiKey is { Length: > 0 } bootstrap && ApiKeySecrets.SameSecret(presented, bootstrap))
        {
            return Success(new Caller("config", Roles.Admin, null, null));
        }
        if (!ApiKeySecrets.TryParse(presented, out var id, out var secret))
        {
            return AuthenticateResult.Fail($"The key in header {Header} is not valid.");
        }
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.Id == id)
            .Select(k => new { k.Role, k.Salt, k.SecretHash, k.RevokedAt, k.ExpiresAt, k.LastUsedAt, AgencyCode = k.Agency == null ? null : k.Agency.Code, k.DivisionPrefix })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (key is null || !ApiKeySecrets.Verify(key.Salt, key.SecretHash, secret))
        {
            return AuthenticateResult.Fail($"The key in header {Header} is not valid.");
        }
        var now = clock.GetUtcNow();
        if (key.RevokedAt is not null)
        {
            return AuthenticateResult.Fail("This key has been revoked.");
        }
        if (key.ExpiresAt <= now)
        {
            return AuthenticateResult.Fail($"This key expired at {key.ExpiresAt:u}.");
        }
        if (key.LastUsedAt is null || now - key.LastUsedAt >= LastUseResolution)
        {
            await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(k => k.SetProperty(x => x.LastUsedAt, now), Context.RequestAborted);
        }
        return Success(new Caller(id.ToString(), key.Role, key.AgencyCode, key.DivisionPrefix));
    }

    private AuthenticateResult Success(Caller caller) =>
        AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        if (result.Failure is { } failure && Problems.DatabaseOutage.Find(failure) is not null)
        {
            // The key could not be checked, not found wanting: 503 (ProblemExceptionHandler), never 401.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        var detail = result.Failure?.Message ?? $"This operation needs an API key in header {Header}.";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = SchemeName;
        AuditEntry.Of(Context)?.Refused(detail);
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized.", Detail = detail },
        });
    }
}
