using System.Net.Http.Headers;
using System.Reflection;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Infrastructure.Problems;
using Aggregator.Importer;
using Microsoft.AspNetCore.WebUtilities;

namespace Aggregator.Api.Features.Imports.ImportReport;

/// <summary>
/// The body of an import: a published report as text, HTML, PDF or Word (.docx), sent as the body or as the file of
/// a multipart/form-data form (what a browser form or the dashboard sends; the file's own Content-Type, or its name's
/// extension when that says only application/octet-stream). 415 for another media type (Word 97–2003 .doc named with
/// what to send instead) or a charset other than UTF-8 and the GB family; 413 over 5 MiB of text or 20 MiB of a file;
/// 400 naming the line for a NUL byte in text (text never holds one, and PostgreSQL refuses it in a narrative) and for
/// a form without a file.
/// </summary>
public sealed record PublishedReport(byte[] Body, string MediaType, string? Charset) : IBindableFromHttpContext<PublishedReport>
{
    /// <summary>The most bytes of text or HTML.</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    /// <summary>The most bytes of a PDF or Word file.</summary>
    public const int MaxFileBytes = 20 * 1024 * 1024;

    private const string Multipart = "multipart/form-data";

    // A form's fields other than the file: a few, small.
    private const int MaxSections = 16;
    private const int MaxFieldBytes = 64 * 1024;

    /// <summary>The media types read as the body; multipart/form-data carries one of them as its file.</summary>
    public static readonly IReadOnlyList<string> MediaTypes = ["text/plain", "text/html", ImportFormats.Pdf, ImportFormats.Docx];

    /// <summary>Every media type the endpoint accepts, as the OpenAPI document lists them.</summary>
    public static readonly IReadOnlyList<string> AcceptedMediaTypes = [.. MediaTypes, Multipart];

    /// <summary>The charsets read: UTF-8 (and ASCII, its subset), and GB18030 with GBK and GB2312, which it contains.</summary>
    public static readonly IReadOnlySet<string> Charsets = new HashSet<string>(
        ["utf-8", "utf8", "us-ascii", "ascii", "gb18030", "gbk", "x-gbk", "cp936", "gb2312", "gb_2312-80", "euc-cn"], StringComparer.OrdinalIgnoreCase);

    private const string Accepted = "text/plain, text/html, application/pdf or the .docx media type (" + ImportFormats.Docx + "), or as the file of a multipart/form-data form";

    public static async ValueTask<PublishedReport?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || contentType.MediaType?.ToLowerInvariant() is not { } mediaType)
        {
            throw new UnsupportedMediaTypeException($"Send the published report as {Accepted}; got '{request.ContentType ?? "no content type"}'.");
        }
        if (mediaType == Multipart)
        {
            if (request.ContentLength > MaxFileBytes + MaxSections * MaxFieldBytes)
            {
                throw TooLarge(ImportFormats.Pdf);
            }
            return await FromFormAsync(request, contentType, context.RequestAborted);
        }
        Accept(mediaType, request.ContentType);
        var limit = IsText(mediaType) ? MaxBytes : MaxFileBytes;
        var body = await RequestBody.ReadAsync(request, limit, context.RequestAborted) ?? throw TooLarge(mediaType);
        return Checked(body, mediaType, CharsetOf(contentType));
    }

    private static bool IsText(string mediaType) => mediaType is "text/plain" or "text/html";

    private static void Accept(string mediaType, string? sent)
    {
        if (mediaType == ImportFormats.Doc)
        {
            throw new UnsupportedMediaTypeException(ImportFormats.LegacyWordReason);
        }
        if (!MediaTypes.Contains(mediaType))
        {
            throw new UnsupportedMediaTypeException($"Send the published report as {Accepted}; got '{sent}'.");
        }
    }

    private static PayloadTooLargeException TooLarge(string mediaType) => IsText(mediaType)
        ? new PayloadTooLargeException($"A published report as text or HTML is at most {MaxBytes / 1024 / 1024} MiB.")
        : new PayloadTooLargeException($"A published report as a PDF or Word file is at most {MaxFileBytes / 1024 / 1024} MiB.");

    private static string? CharsetOf(MediaTypeHeaderValue contentType)
    {
        var charset = contentType.CharSet?.Trim().Trim('"', '\'');
        if (!string.IsNullOrEmpty(charset) && !Charsets.Contains(charset))
        {
            throw new UnsupportedMediaTypeException(
                $"The charset '{charset}' is not one this service reads: send the report as UTF-8, or as GB18030 (GBK and GB2312 are read as GB18030).");
        }
        return string.IsNullOrEmpty(charset) ? null : charset;
    }

    private static PublishedReport Checked(byte[] body, string mediaType, string? charset)
    {
        if (IsText(mediaType) && Array.IndexOf(body, (byte)0) is var nul and >= 0)
        {
            // In UTF-8 and the GB encodings a zero byte is NUL and nothing else.
            var line = body.AsSpan(0, nul).Count((byte)'\n') + 1;
            throw new InputException("body", $"Line {line} holds a NUL character (byte 0), which a published report never does; remove it and send the text again.");
        }
        return new PublishedReport(body, mediaType, IsText(mediaType) ? charset : null);
    }

    /// <summary>The file of a form: the first part with a file name (or named "file"), its media type from its own header or its name.</summary>
    private static async Task<PublishedReport> FromFormAsync(HttpRequest request, MediaTypeHeaderValue contentType, CancellationToken cancellationToken)
    {
        var boundary = contentType.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
        if (string.IsNullOrEmpty(boundary))
        {
            throw new InputException("body", "The multipart/form-data body names no boundary.");
        }
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        try
        {
            for (var sections = 0; sections < MaxSections; sections++)
            {
                var section = await reader.ReadNextSectionAsync(cancellationToken);
                if (section is null)
                {
                    break;
                }
                var disposition = section.GetContentDispositionHeader();
                var fileName = disposition?.FileName.Value ?? disposition?.FileNameStar.Value;
                var isFile = !string.IsNullOrEmpty(fileName) || disposition?.Name.Value == "file";
                if (!isFile)
                {
                    if (await RequestBody.ReadStreamAsync(section.Body, MaxFieldBytes, cancellationToken) is null)
                    {
                        throw new PayloadTooLargeException($"A form field other than the file is at most {MaxFieldBytes / 1024} KiB.");
                    }
                    continue;
                }
                var partType = MediaTypeHeaderValue.TryParse(section.ContentType, out var parsed) ? parsed : null;
                var mediaType = partType?.MediaType?.ToLowerInvariant();
                if (mediaType is null or ImportFormats.OctetStream)
                {
                    mediaType = ImportFormats.MediaTypeOfExtension(Path.GetExtension(fileName ?? "")) ?? mediaType
                        ?? throw new UnsupportedMediaTypeException($"The form's file '{fileName}' has no media type and its name says none: send it as {Accepted}.");
                    if (mediaType == ImportFormats.OctetStream)
                    {
                        throw new UnsupportedMediaTypeException($"The form's file '{fileName}' is application/octet-stream and its name says no other type: send .txt, .html, .pdf or .docx.");
                    }
                }
                Accept(mediaType, section.ContentType);
                var body = await RequestBody.ReadStreamAsync(section.Body, IsText(mediaType) ? MaxBytes : MaxFileBytes, cancellationToken)
                           ?? throw TooLarge(mediaType);
                return Checked(body, mediaType, partType is null ? null : CharsetOf(partType));
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException and not BadHttpRequestException)
        {
            // A body that is not the form its Content-Type says (found by the HTTP fuzz: a text sent as
            // multipart/form-data ends before any boundary, and the reader throws IOException).
            throw new InputException("body", $"The multipart/form-data body cannot be read: {e.Message}");
        }
        throw new InputException("file", "The form holds no file: send the report as its field 'file' (a .txt, .html, .pdf or .docx).");
    }
}
