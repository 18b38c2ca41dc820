namespace Aggregator.Api.Infrastructure.Access;

public static class Roles
{
    public const string Admin = "admin";
    public const string Region = "region";
    public const string Bureau = "bureau";

    public static readonly IReadOnlyList<string> All = [Admin, Region, Bureau];
}

/// <summary>Who is calling: the key's id, role and scope.</summary>
/// <param name="KeyId">The key's id, or "config" for the bootstrap admin key, "system" for the application itself.</param>
/// <param name="AgencyCode">A bureau key's agency.</param>
/// <param name="DivisionPrefix">A region key's division prefix.</param>
public sealed record Caller(string KeyId, string Role, string? AgencyCode, string? DivisionPrefix)
{
    public static readonly Caller System = new("system", Roles.Admin, null, null);

    public bool IsAdmin => Role == Roles.Admin;

    /// <summary>May this caller write reports of (or register) an agency with this code and division?</summary>
    public bool MayWrite(string agencyCode, string divisionCode) => Role switch
    {
        Roles.Admin => true,
        Roles.Region => divisionCode.StartsWith(DivisionPrefix!, StringComparison.Ordinal),
        Roles.Bureau => agencyCode == AgencyCode,
        _ => false,
    };

    /// <summary>May this caller see what happened to agencies in this division (audit)?</summary>
    public bool Oversees(string divisionCode) => IsAdmin || Role == Roles.Region && divisionCode.StartsWith(DivisionPrefix!, StringComparison.Ordinal);
}

/// <summary>The caller of the current request (or operation), once its key has been checked.</summary>
public sealed class CurrentCaller
{
    public Caller? Caller { get; set; }

    public Caller Required => Caller ?? throw new UnauthorizedException("This operation needs an API key.");
}

/// <summary>No valid key (→ 401).</summary>
public sealed class UnauthorizedException(string message) : Exception(message);

/// <summary>A valid key outside its scope (→ 403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);
