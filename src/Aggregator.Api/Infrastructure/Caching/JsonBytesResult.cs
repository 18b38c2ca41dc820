using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Aggregator.Api.Infrastructure.Caching;

/// <summary>
/// A 200 JSON answer already serialised (kept in a cache): written as it is. Declares itself to OpenAPI as a 200 of
/// <typeparamref name="T"/>, like <c>Ok&lt;T&gt;</c>.
/// </summary>
public sealed class JsonBytesResult<T>(ReadOnlyMemory<byte> json) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        httpContext.Response.ContentLength = json.Length;
        await httpContext.Response.Body.WriteAsync(json, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}

/// <summary>
/// Marks an endpoint that sets its own entity tag before producing anything (from a data version, not the body), so
/// <see cref="ConditionalGet"/> neither spools nor hashes its answer.
/// </summary>
public sealed class OwnsEntityTagMetadata;
