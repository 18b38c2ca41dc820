using Aggregator.Api.Infrastructure.Problems;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// JSON is read as UTF-8 (RFC 8259 §8.1). A JSON body whose content type names another charset is refused with 415
/// naming it, the same for every endpoint that reads one: the framework's JSON binding threw on a charset .NET does not read
/// (<c>charset=utf-7</c>, <c>charset=</c>, a made-up name) and answered 500, while the report document's reader read
/// the bytes as UTF-8 whatever the charset said. A quoted <c>"utf-8"</c> is unquoted for the framework. Runs after authorization (a write without a key is still 401) and
/// inside the audit (a refused write is on record).
/// </summary>
public static class JsonCharset
{
    public static IApplicationBuilder UseJsonCharset(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (ReadsJson(http) && http.Request.HasJsonContentType() && MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
                && mediaType.Charset.HasValue)
            {
                if (!IsUtf8(HeaderUtilities.RemoveQuotes(mediaType.Charset).Value))
                {
                    throw new UnsupportedMediaTypeException(
                        $"JSON is read as UTF-8 (RFC 8259); the content type names charset '{mediaType.Charset}'. Send UTF-8, with charset=utf-8 or none.");
                }
                if (HeaderUtilities.IsQuoted(mediaType.Charset))
                {
                    // charset="utf-8" is charset=utf-8 (RFC 9110 §5.6.6), but the framework's JSON reader takes the quotes for
                    // part of the name and threw (500): it is given the unquoted form.
                    mediaType.Charset = HeaderUtilities.RemoveQuotes(mediaType.Charset);
                    http.Request.ContentType = mediaType.ToString();
                }
            }
            await next(http);
        });

    /// <summary>Whether the endpoint reads a JSON body (a GET with a content type reads none, and is not refused for it).</summary>
    private static bool ReadsJson(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is { } accepts
        && accepts.ContentTypes.Any(type => type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase));

    private static bool IsUtf8(string? charset) =>
        string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase) || string.Equals(charset, "utf8", StringComparison.OrdinalIgnoreCase);
}
