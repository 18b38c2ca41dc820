using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Importer;

/// <summary>
/// Turns a response body into text: UTF-8 unless the charset parameter or, for HTML, a meta tag names a GB encoding
/// (GB2312, GBK and GB18030 all decode as GB18030, their superset). A UTF-8 byte order mark wins over both.
/// </summary>
internal static partial class BodyDecoder
{
    private const int MetaSniffBytes = 4096;

    static BodyDecoder() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static string Decode(ReadOnlySpan<byte> body, bool isHtml, string? charset, List<ImportDiagnostic> diagnostics)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            return Encoding.UTF8.GetString(body[3..]);
        }
        var name = charset;
        if (string.IsNullOrWhiteSpace(name) && isHtml)
        {
            name = MetaCharset(body[..Math.Min(body.Length, MetaSniffBytes)]);
        }
        if (!string.IsNullOrWhiteSpace(name))
        {
            if (Resolve(name) is { } encoding)
            {
                return encoding.GetString(body);
            }
            diagnostics.Add(new ImportDiagnostic("", $"The charset '{name}' is not known; the body was read as UTF-8.", null, DiagnosticSeverity.Info));
        }
        try
        {
            return StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            diagnostics.Add(new ImportDiagnostic("", "The body is not valid UTF-8 and names no charset; it was read as GB18030.", null, DiagnosticSeverity.Info));
            return Resolve("gb18030")!.GetString(body);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static Encoding? Resolve(string name)
    {
        var key = name.Trim().Trim('"', '\'').ToLowerInvariant();
        if (key is "gb2312" or "gbk" or "x-gbk" or "cp936" or "gb_2312-80" or "euc-cn" or "gb18030")
        {
            key = "gb18030";
        }
        try
        {
            return Encoding.GetEncoding(key);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string? MetaCharset(ReadOnlySpan<byte> head)
    {
        var match = MetaCharsetPattern().Match(Encoding.Latin1.GetString(head));
        return match.Success ? match.Groups["charset"].Value : null;
    }

    // <meta charset="gbk"> or <meta http-equiv="Content-Type" content="text/html; charset=gb2312">
    [GeneratedRegex(@"<meta[^>]+?charset\s*=\s*[""']?(?<charset>[\w:.-]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex MetaCharsetPattern();
}
