using System.Security.Claims;
using Aggregator.Domain;

namespace Aggregator.Api.Infrastructure.Access;

public static class Roles
{
    public const string Admin = "admin";
    public const string Region = "region";
    public const string Bureau = "bureau";

    public static readonly IReadOnlyList<string> All = [Admin, Region, Bureau];
}

/// <summary>Who is calling, as the claims of an authenticated key say: the key's id, role and scope.</summary>
/// <param name="KeyId">The key's id, or "config" for the bootstrap admin key.</param>
/// <param name="AgencyCode">A bureau key's agency.</param>
/// <param name="DivisionPrefix">A region key's division prefix.</param>
public sealed record Caller(string KeyId, string Role, string? AgencyCode, string? DivisionPrefix)
{
    private const string KeyIdClaim = "aggregator:key";
    private const string AgencyClaim = "aggregator:agency";
    private const string DivisionClaim = "aggregator:division";

    public bool IsAdmin => Role == Roles.Admin;

    /// <summary>True for a region key whose prefix holds the division.</summary>
    public bool IsRegionOver(string divisionCode) => Role == Roles.Region && DivisionPrefix is { } prefix && Domain.DivisionPrefix.Contains(prefix, divisionCode);

    /// <summary>The caller of an authenticated principal; null when the principal carries no key.</summary>
    public static Caller? From(ClaimsPrincipal user) =>
        user.FindFirstValue(KeyIdClaim) is { } keyId && user.FindFirstValue(ClaimTypes.Role) is { } role
            ? new Caller(keyId, role, user.FindFirstValue(AgencyClaim), user.FindFirstValue(DivisionClaim))
            : null;

    public ClaimsPrincipal ToPrincipal(string authenticationType)
    {
        var claims = new List<Claim> { new(KeyIdClaim, KeyId), new(ClaimTypes.Name, KeyId), new(ClaimTypes.Role, Role) };
        if (AgencyCode is not null)
        {
            claims.Add(new Claim(AgencyClaim, AgencyCode));
        }
        if (DivisionPrefix is not null)
        {
            claims.Add(new Claim(DivisionClaim, DivisionPrefix));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType));
    }
}
