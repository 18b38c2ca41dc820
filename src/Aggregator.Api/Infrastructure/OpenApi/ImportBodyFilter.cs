using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Aggregator.Api.Infrastructure.OpenApi;

/// <summary>An endpoint that takes a published file as its body, in the media types listed, or as the file of a multipart form.</summary>
public sealed record ImportBodyMetadata(IReadOnlyList<string> MediaTypes);

/// <summary>
/// The request body of an import: text and HTML as strings, PDF and Word as binary strings, multipart/form-data as an
/// object with the binary field 'file'. (Accepts&lt;T&gt; gives every media type the same schema.)
/// </summary>
public sealed class ImportBodyFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ImportBodyMetadata>().FirstOrDefault() is not { } body)
        {
            return;
        }
        var content = new Dictionary<string, IOpenApiMediaType>();
        foreach (var mediaType in body.MediaTypes)
        {
            content[mediaType] = new OpenApiMediaType
            {
                Schema = mediaType switch
                {
                    "text/plain" or "text/html" => new OpenApiSchema { Type = JsonSchemaType.String },
                    "multipart/form-data" => new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "file" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["file"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.String,
                                Format = "binary",
                                Description = "The report: .txt, .html, .pdf or .docx, its media type from the part's Content-Type or the file's extension.",
                            },
                        },
                    },
                    _ => new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                },
            };
        }
        operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
    }
}
