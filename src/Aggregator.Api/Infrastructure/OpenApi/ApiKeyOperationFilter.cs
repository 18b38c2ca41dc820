using Aggregator.Api.Infrastructure.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Aggregator.Api.Infrastructure.OpenApi;

/// <summary>
/// Marks the operations whose authorization policy needs <c>X-Api-Key</c> (optional where only a submission needs
/// it), so the document says so and Swagger UI sends the key the user entered.
/// </summary>
public sealed class ApiKeyOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var policies = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToArray();
        if (policies.Length == 0)
        {
            return;
        }
        var key = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [] };
        operation.Security = policies.All(p => p == Policies.KeyToSubmit) ? [new OpenApiSecurityRequirement(), key] : [key];
    }
}
