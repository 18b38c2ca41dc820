using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Access;

namespace Aggregator.Api.Features.ApiKeys;

/// <summary>An API key as listed: never its secret.</summary>
public sealed record ApiKeyResponse(
    Guid Id, string Role, string? Agency, string? Division, DateTimeOffset CreatedAt, string IssuedBy,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

public static class ApiKeyEndpoints
{
    public static void MapApiKeys(this IEndpointRouteBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys");
        IssueApiKey.IssueApiKeyEndpoint.Map(keys);
        RevokeApiKey.RevokeApiKeyEndpoint.Map(keys);
        ListApiKeys.ListApiKeysEndpoint.Map(keys);
    }

    /// <summary>Keys a caller administers: all for admin; for a region, the bureau keys of agencies inside its division.</summary>
    public static IQueryable<ApiKey> AdministeredBy(this IQueryable<ApiKey> keys, Caller caller) =>
        caller.IsAdmin
            ? keys
            : caller.Role == Roles.Region
                ? keys.Where(k => k.Role == Roles.Bureau && k.Agency!.DivisionCode.StartsWith(caller.DivisionPrefix!))
                : keys.Where(_ => false);
}
