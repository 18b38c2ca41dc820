using System.Net.Http.Headers;
using System.Reflection;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Infrastructure.Problems;

namespace Aggregator.Api.Features.Imports.ImportReport;

/// <summary>
/// The body of an import: a published report as text or HTML, with its charset; 415 for another media type or a charset
/// other than UTF-8 and the GB family, 413 over 5 MiB, 400 naming the line for a NUL byte (text never holds one, and
/// PostgreSQL refuses it in a narrative).
/// </summary>
public sealed record PublishedReport(byte[] Body, string MediaType, string? Charset) : IBindableFromHttpContext<PublishedReport>
{
    public const int MaxBytes = 5 * 1024 * 1024;
    public static readonly IReadOnlyList<string> MediaTypes = ["text/plain", "text/html"];

    /// <summary>The charsets read: UTF-8 (and ASCII, its subset), and GB18030 with GBK and GB2312, which it contains.</summary>
    public static readonly IReadOnlySet<string> Charsets = new HashSet<string>(
        ["utf-8", "utf8", "us-ascii", "ascii", "gb18030", "gbk", "x-gbk", "cp936", "gb2312", "gb_2312-80", "euc-cn"], StringComparer.OrdinalIgnoreCase);

    public static async ValueTask<PublishedReport?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType?.ToLowerInvariant() is not { } mediaType
            || !MediaTypes.Contains(mediaType))
        {
            throw new UnsupportedMediaTypeException($"Send the published report as text/plain or text/html; got '{request.ContentType ?? "no content type"}'.");
        }
        var charset = contentType.CharSet?.Trim().Trim('"', '\'');
        if (!string.IsNullOrEmpty(charset) && !Charsets.Contains(charset))
        {
            throw new UnsupportedMediaTypeException(
                $"The charset '{charset}' is not one this service reads: send the report as UTF-8, or as GB18030 (GBK and GB2312 are read as GB18030).");
        }
        var body = await RequestBody.ReadAsync(request, MaxBytes, context.RequestAborted)
                   ?? throw new PayloadTooLargeException($"A published report is at most {MaxBytes / 1024 / 1024} MiB.");
        if (Array.IndexOf(body, (byte)0) is var nul and >= 0)
        {
            // In UTF-8 and the GB encodings a zero byte is NUL and nothing else.
            var line = body.AsSpan(0, nul).Count((byte)'\n') + 1;
            throw new InputException("body", $"Line {line} holds a NUL character (byte 0), which a published report never does; remove it and send the text again.");
        }
        return new PublishedReport(body, mediaType, charset);
    }
}
