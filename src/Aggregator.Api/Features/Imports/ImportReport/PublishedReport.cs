using System.Net.Http.Headers;
using System.Reflection;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Infrastructure.Problems;

namespace Aggregator.Api.Features.Imports.ImportReport;

/// <summary>The body of an import: a published report as text or HTML, with its charset; 415 for another media type, 413 over 5 MiB.</summary>
public sealed record PublishedReport(byte[] Body, string MediaType, string? Charset) : IBindableFromHttpContext<PublishedReport>
{
    public const int MaxBytes = 5 * 1024 * 1024;
    public static readonly IReadOnlyList<string> MediaTypes = ["text/plain", "text/html"];

    public static async ValueTask<PublishedReport?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType?.ToLowerInvariant() is not { } mediaType
            || !MediaTypes.Contains(mediaType))
        {
            throw new UnsupportedMediaTypeException($"Send the published report as text/plain or text/html; got '{request.ContentType ?? "no content type"}'.");
        }
        var body = await RequestBody.ReadAsync(request, MaxBytes, context.RequestAborted)
                   ?? throw new PayloadTooLargeException($"A published report is at most {MaxBytes / 1024 / 1024} MiB.");
        return new PublishedReport(body, mediaType, contentType.CharSet);
    }
}
