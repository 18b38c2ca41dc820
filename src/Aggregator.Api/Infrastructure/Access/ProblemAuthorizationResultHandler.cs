using Aggregator.Api.Infrastructure.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Aggregator.Api.Infrastructure.Access;

/// <summary>
/// Answers a refused endpoint policy as problem+json: 403 with the failed requirement's reason. Challenges (no valid
/// key) go to the authentication handler, which answers 401.
/// </summary>
public sealed class ProblemAuthorizationResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            await fallback.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        var detail = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message ?? "This key may not do that.";
        AuditEntry.Of(context)?.Refused(detail);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status403Forbidden, Title = "Forbidden.", Detail = detail },
        });
    }
}
