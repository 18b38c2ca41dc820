using Aggregator.Importer.Html;
using Aggregator.Importer.Reading;
using Aggregator.Importer.Text;

namespace Aggregator.Importer;

/// <summary>
/// Reads a published 政府信息公开工作年度报告 (as text or HTML) into the project's report document.
/// <para>
/// A number is either right or absent: a cell the importer cannot read with certainty (cells printed glued together
/// that the template's arithmetic does not split one way only, a row whose label is lost) is left blank with a
/// <see cref="DiagnosticSeverity.Blocking"/> diagnostic at its path and source line. Changes of form (251000元 to
/// 25.1 万元, a note dropped) are <see cref="DiagnosticSeverity.Info"/>. The importer is pure and thread-safe.
/// </para>
/// </summary>
public static class ReportImporter
{
    /// <summary>Reads a report published as plain text: one cell per tab-led line, pdftotext -layout columns, or cells glued together.</summary>
    public static ImportResult ImportText(string text) => ReportReader.Read(SourceText.Create(text), []);

    /// <summary>Reads a report page: tables from the HTML grid (rowspan and colspan honoured), narratives from the body; site navigation, scripts and styles are ignored.</summary>
    public static ImportResult ImportHtml(string html) => ReportReader.Read(HtmlRenderer.Render(html), []);

    /// <summary>
    /// Reads a response body. <paramref name="mediaType"/> is <c>text/html</c> (or <c>application/xhtml+xml</c>) for a
    /// page, anything else is read as text. The body is UTF-8 unless <paramref name="charset"/> or, for HTML, a
    /// <c>&lt;meta charset&gt;</c> names GB2312, GBK or GB18030; a UTF-8 byte order mark is dropped.
    /// </summary>
    public static ImportResult Import(ReadOnlySpan<byte> body, string mediaType, string? charset)
    {
        var isHtml = mediaType.Trim().ToLowerInvariant() is "text/html" or "application/xhtml+xml";
        var decoding = new List<ImportDiagnostic>();
        var text = BodyDecoder.Decode(body, isHtml, charset, decoding);
        return ReportReader.Read(isHtml ? HtmlRenderer.Render(text) : SourceText.Create(text), decoding);
    }
}
