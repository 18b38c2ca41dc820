using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace Aggregator.Api.Infrastructure.Access;

/// <summary>What a caller may do to a resource; decided by <see cref="AgencyAccessHandler"/> and <see cref="KeyAccessHandler"/>.</summary>
public static class Operations
{
    public static readonly OperationAuthorizationRequirement WriteReports = new() { Name = nameof(WriteReports) };
    public static readonly OperationAuthorizationRequirement Register = new() { Name = nameof(Register) };
    public static readonly OperationAuthorizationRequirement Issue = new() { Name = nameof(Issue) };
    public static readonly OperationAuthorizationRequirement Revoke = new() { Name = nameof(Revoke) };
}

/// <summary>An agency as authorization sees it: its code and its division.</summary>
public sealed record AgencyResource(string Code, string DivisionCode);

/// <summary>A key to be issued (<see cref="Operations.Issue"/>) or already stored (<see cref="Operations.Revoke"/>).</summary>
/// <param name="Agency">A bureau key's agency.</param>
public sealed record KeyResource(string Role, AgencyResource? Agency);

/// <summary>
/// Writes to an agency: admin anywhere; a region key for agencies inside its division prefix; a bureau key for its
/// own agency's reports only. Always against the agency of the address, never the body.
/// </summary>
public sealed class AgencyAccessHandler : AuthorizationHandler<OperationAuthorizationRequirement, AgencyResource>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OperationAuthorizationRequirement operation, AgencyResource agency)
    {
        if (Caller.From(context.User) is not { } caller)
        {
            return Task.CompletedTask;
        }
        var allowed = caller.IsAdmin || caller.IsRegionOver(agency.DivisionCode)
                      || operation == Operations.WriteReports && caller.Role == Roles.Bureau && caller.AgencyCode == agency.Code;
        if (allowed)
        {
            context.Succeed(operation);
            return Task.CompletedTask;
        }
        var refusal = (operation.Name, caller.Role) switch
        {
            (nameof(Operations.WriteReports), Roles.Bureau) => $"This bureau key writes the reports of agency '{caller.AgencyCode}' only.",
            (nameof(Operations.WriteReports), _) =>
                $"This region key writes reports of agencies inside division {caller.DivisionPrefix} only; '{agency.Code}' is in {agency.DivisionCode}.",
            (nameof(Operations.Register), Roles.Region) =>
                $"This region key registers agencies inside division {caller.DivisionPrefix} only; {agency.DivisionCode} is outside it.",
            _ => "Only admin and region keys register agencies.",
        };
        context.Fail(new AuthorizationFailureReason(this, refusal));
        return Task.CompletedTask;
    }
}

/// <summary>
/// Issuing and revoking keys: admin any key; a region key bureau keys of agencies inside its division prefix only.
/// </summary>
public sealed class KeyAccessHandler : AuthorizationHandler<OperationAuthorizationRequirement, KeyResource>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OperationAuthorizationRequirement operation, KeyResource key)
    {
        if (Caller.From(context.User) is not { } caller)
        {
            return Task.CompletedTask;
        }
        if (caller.IsAdmin || key is { Role: Roles.Bureau, Agency: { } agency } && caller.IsRegionOver(agency.DivisionCode))
        {
            context.Succeed(operation);
            return Task.CompletedTask;
        }
        var refusal = (operation.Name, caller.Role) switch
        {
            (nameof(Operations.Issue), Roles.Region) => $"A region key issues bureau keys for agencies inside division {caller.DivisionPrefix} only.",
            (nameof(Operations.Issue), _) => "Only admin and region keys issue keys.",
            (_, Roles.Region) => $"A region key revokes bureau keys of agencies inside division {caller.DivisionPrefix} only.",
            _ => "Only admin and region keys revoke keys.",
        };
        context.Fail(new AuthorizationFailureReason(this, refusal));
        return Task.CompletedTask;
    }
}
