using Aggregator.Api.Infrastructure.Csv;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Aggregator.Api.Infrastructure.OpenApi;

/// <summary>
/// CSV in the contract: the CSV twin of a query (<see cref="CsvExport"/>) answers 200 text/csv only and has no paging
/// or <c>format</c> parameter; on the JSON operation <c>format</c> is deprecated in favour of the twin.
/// </summary>
public sealed class CsvExportFilter : IOperationFilter
{
    private static readonly HashSet<string> NotOnExports = ["format", "page", "pageSize", "cursor"];

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<CsvExportMetadata>().Any())
        {
            if (operation.Responses?.GetValueOrDefault("200") is OpenApiResponse ok)
            {
                ok.Description = "Every matching row as CSV (text/csv; charset=utf-8, with a BOM), as an attachment.";
                ok.Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                };
            }
            operation.Parameters = operation.Parameters?.Where(p => !NotOnExports.Contains(p.Name!)).ToList();
            return;
        }
        if (operation.Parameters?.FirstOrDefault(p => p.Name == "format") is OpenApiParameter format)
        {
            format.Deprecated = true;
            format.Description = $"csv answers text/csv, as GET {CsvExport.PathOf("/" + context.ApiDescription.RelativePath)} does; use that operation " +
                                 "(this one is typed as JSON).";
        }
    }
}
