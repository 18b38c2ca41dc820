using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Aggregator.Api.Infrastructure.OpenApi;

/// <summary>
/// The answers any operation under /api/v1 may give whatever its slice: 400 for a query it cannot read (a control
/// character anywhere in it, <see cref="QueryGuard"/>; a single-valued parameter given twice, <see cref="SingleValuedQuery"/>;
/// a value of the wrong type), 429 from the rate limits (<see cref="RateLimits"/>) and 503 while the database cannot be
/// reached (<see cref="Problems.DatabaseOutage"/>), both problem+json with Retry-After; and for a GET, 304 to an
/// If-None-Match that names its current ETag (<see cref="Caching.ConditionalGet"/>).
/// </summary>
public sealed class ServiceResponsesFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.RelativePath?.StartsWith("api/v1", StringComparison.Ordinal) != true)
        {
            return;
        }
        var problem = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository);
        operation.Responses ??= new OpenApiResponses();
        if (string.Equals(context.ApiDescription.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase))
        {
            operation.Responses.TryAdd("304", new OpenApiResponse { Description = "Not Modified: If-None-Match names the current ETag." });
        }
        operation.Responses.TryAdd("400", new OpenApiResponse
        {
            Description = "Bad Request: the query cannot be read (a control character, a single-valued parameter given twice, a value of the wrong type).",
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/problem+json"] = new OpenApiMediaType
                {
                    Schema = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails), context.SchemaRepository),
                },
            },
        });
        operation.Responses.TryAdd("429", Response("Too Many Requests: a rate limit was reached; Retry-After says when to try again.", problem));
        operation.Responses.TryAdd("503", Response("Service Unavailable: the database cannot be reached right now; Retry-After says when to try again.", problem));
    }

    private static OpenApiResponse Response(string description, IOpenApiSchema problem) => new()
    {
        Description = description,
        Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before trying again.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
        },
        Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = problem } },
    };
}
