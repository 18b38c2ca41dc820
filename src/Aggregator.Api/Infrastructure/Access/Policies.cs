using Microsoft.AspNetCore.Authorization;

namespace Aggregator.Api.Infrastructure.Access;

/// <summary>
/// The endpoint policies: which keys may call an operation at all. Whether a key may act on the agency or key at hand
/// is decided by the resource handlers (<see cref="AgencyAccessHandler"/>, <see cref="KeyAccessHandler"/>) once the
/// handler has loaded it.
/// </summary>
public static class Policies
{
    /// <summary>Any valid key.</summary>
    public const string Key = "key";
    public const string RegisterAgencies = "register-agencies";
    public const string IssueKeys = "issue-keys";
    public const string RevokeKeys = "revoke-keys";
    public const string ListKeys = "list-keys";
    public const string ReadAudit = "read-audit";

    /// <summary>A key when the request asks to store something (<c>submit=true</c>); none for a preview.</summary>
    public const string KeyToSubmit = "key-to-submit";

    private static readonly (string Policy, string Refusal)[] Stewardship =
    [
        (RegisterAgencies, "Only admin and region keys register agencies."),
        (IssueKeys, "Only admin and region keys issue keys."),
        (RevokeKeys, "Only admin and region keys revoke keys."),
        (ListKeys, "Only admin and region keys list keys."),
        (ReadAudit, "Only admin and region keys read the audit."),
    ];

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Key, policy => policy.RequireAuthenticatedUser());
        foreach (var (name, refusal) in Stewardship)
        {
            options.AddPolicy(name, policy => policy.RequireAuthenticatedUser().AddRequirements(new RoleRequirement([Roles.Admin, Roles.Region], refusal)));
        }
        options.AddPolicy(KeyToSubmit, policy => policy.AddRequirements(new KeyToSubmitRequirement()));
    }
}

/// <summary>The caller's role is one of <paramref name="Roles"/>; otherwise 403 with <paramref name="Refusal"/>.</summary>
public sealed record RoleRequirement(IReadOnlyList<string> Roles, string Refusal) : IAuthorizationRequirement;

public sealed class RoleRequirementHandler : AuthorizationHandler<RoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        if (Caller.From(context.User) is { } caller && requirement.Roles.Contains(caller.Role))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, requirement.Refusal));
        }
        return Task.CompletedTask;
    }
}

/// <summary>A request with <c>submit=true</c> needs a valid key; any other request passes.</summary>
public sealed class KeyToSubmitRequirement : AuthorizationHandler<KeyToSubmitRequirement, HttpContext>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, KeyToSubmitRequirement requirement, HttpContext http)
    {
        var submits = http.Request.Query["submit"].Any(value => bool.TryParse(value, out var submit) && submit);
        if (!submits || context.User.Identity?.IsAuthenticated == true)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
