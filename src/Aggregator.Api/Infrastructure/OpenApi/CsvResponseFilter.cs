using Aggregator.Api.Infrastructure.Csv;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Aggregator.Api.Infrastructure.OpenApi;

/// <summary>Adds text/csv to the 200 response of the endpoints that offer format=csv.</summary>
public sealed class CsvResponseFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ProducesCsvMetadata>().Any()
            || operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse ok)
        {
            return;
        }
        ok.Content ??= new Dictionary<string, IOpenApiMediaType>();
        ok.Content["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
    }
}
