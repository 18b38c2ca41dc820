using Aggregator.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aggregator.Api.Infrastructure.Access;

/// <summary>Checks the key in <c>X-Api-Key</c> and establishes the <see cref="CurrentCaller"/>.</summary>
public sealed class ApiKeyAuthentication(AggregatorDbContext db, IOptions<AggregatorOptions> options, TimeProvider clock, CurrentCaller current)
{
    public const string Header = "X-Api-Key";
    public const string SchemeName = "ApiKey";

    /// <summary>The caller, or null with the reason the key (if any) was not accepted.</summary>
    public async Task<(Caller? Caller, string Problem)> AuthenticateAsync(HttpContext http)
    {
        if (current.Caller is { } known)
        {
            return (known, "");
        }
        var presented = http.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(presented))
        {
            return (null, $"This operation needs an API key in header {Header}.");
        }
        if (options.Value.AdminApiKey is { Length: > 0 } bootstrap && ApiKeySecrets.SameSecret(presented, bootstrap))
        {
            return (current.Caller = new Caller("config", Roles.Admin, null, null), "");
        }
        if (!ApiKeySecrets.TryParse(presented, out var id, out var secret))
        {
            return (null, $"The key in header {Header} is not valid.");
        }
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.Id == id)
            .Select(k => new { k.Role, k.Salt, k.SecretHash, k.RevokedAt, k.ExpiresAt, AgencyCode = k.Agency == null ? null : k.Agency.Code, k.DivisionPrefix })
            .SingleOrDefaultAsync(http.RequestAborted);
        if (key is null || !ApiKeySecrets.Verify(key.Salt, key.SecretHash, secret))
        {
            return (null, $"The key in header {Header} is not valid.");
        }
        var now = clock.GetUtcNow();
        if (key.RevokedAt is not null)
        {
            return (null, "This key has been revoked.");
        }
        if (key.ExpiresAt <= now)
        {
            return (null, $"This key expired at {key.ExpiresAt:u}.");
        }
        await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(k => k.SetProperty(x => x.LastUsedAt, now), http.RequestAborted);
        return (current.Caller = new Caller(id.ToString(), key.Role, key.AgencyCode, key.DivisionPrefix), "");
    }
}

public static class ApiKeyEndpointConventions
{
    /// <summary>The endpoint needs a valid key (401 otherwise); what the key may do is checked per operation (403).</summary>
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder
            .AddEndpointFilter(async (context, next) =>
            {
                var refusal = await Refusal(context.HttpContext);
                return refusal is null ? await next(context) : refusal;
            })
            .WithMetadata(new RequiresApiKeyMetadata())
            .ProducesProblem(401)
            .ProducesProblem(403);

    /// <summary>Null when the request carries a valid key; otherwise the 401 to answer.</summary>
    public static async Task<ProblemHttpResult?> Refusal(HttpContext http)
    {
        var (caller, problem) = await http.RequestServices.GetRequiredService<ApiKeyAuthentication>().AuthenticateAsync(http);
        if (caller is not null)
        {
            return null;
        }
        http.Response.Headers.WWWAuthenticate = ApiKeyAuthentication.SchemeName;
        return TypedResults.Problem(statusCode: 401, title: "Unauthorized.", detail: problem);
    }
}

/// <summary>Marks an endpoint as needing an API key (or, optional, as needing one for some calls), so the OpenAPI document says so.</summary>
public sealed record RequiresApiKeyMetadata(bool Optional = false);
