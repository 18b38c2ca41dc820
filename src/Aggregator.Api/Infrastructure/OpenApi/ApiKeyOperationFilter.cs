using Aggregator.Api.Infrastructure.Access;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Aggregator.Api.Infrastructure.OpenApi;

/// <summary>Marks the operations that need <c>X-Api-Key</c>, so Swagger UI sends the key the user entered.</summary>
public sealed class ApiKeyOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequiresApiKeyMetadata>().FirstOrDefault() is not { } metadata)
        {
            return;
        }
        var key = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthentication.SchemeName, context.Document)] = [] };
        operation.Security = metadata.Optional ? [new OpenApiSecurityRequirement(), key] : [key];
    }
}
