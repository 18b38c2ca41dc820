using System.Security.Claims;
using Aggregator.Api.Infrastructure.Problems;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace Aggregator.Api.Infrastructure.Access;

/// <summary>
/// Resource-based authorization for handlers: once a handler has loaded the agency or key it acts on, it demands the
/// operation and gets a 403 naming the reason when the caller's key does not reach that far.
/// </summary>
public sealed class AccessControl(IAuthorizationService authorization, IHttpContextAccessor http)
{
    private ClaimsPrincipal User => http.HttpContext?.User ?? throw new InvalidOperationException("Access is checked inside a request only.");

    /// <summary>The authenticated caller (the endpoint's policy has already required a key).</summary>
    public Caller Caller => Caller.From(User) ?? throw new UnauthorizedException($"This operation needs an API key in header {ApiKeyAuthenticationHandler.Header}.");

    public async Task DemandAsync(object resource, OperationAuthorizationRequirement operation)
    {
        var result = await authorization.AuthorizeAsync(User, resource, operation);
        if (!result.Succeeded)
        {
            throw new ForbiddenException(result.Failure?.FailureReasons.FirstOrDefault()?.Message ?? $"This key may not {operation.Name} here.");
        }
    }
}
