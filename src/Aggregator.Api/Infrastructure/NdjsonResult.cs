using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// A 200 of newline-delimited JSON (<c>application/x-ndjson</c>), one item a line, written and flushed as the items
/// come, so a long answer streams. Declares itself to OpenAPI as a 200 of <typeparamref name="T"/> in that media type.
/// </summary>
public sealed class NdjsonResult<T>(IAsyncEnumerable<T> items) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
{
    public const string MediaType = "application/x-ndjson";

    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var options = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = MediaType + "; charset=utf-8";
        await foreach (var item in items.WithCancellation(httpContext.RequestAborted))
        {
            await JsonSerializer.SerializeAsync(response.Body, item, options, httpContext.RequestAborted);
            await response.Body.WriteAsync("\n"u8.ToArray(), httpContext.RequestAborted);
            await response.Body.FlushAsync(httpContext.RequestAborted);
        }
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), [MediaType]));
}
