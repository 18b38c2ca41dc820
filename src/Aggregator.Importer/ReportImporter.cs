using Aggregator.Importer.Docx;
using Aggregator.Importer.Html;
using Aggregator.Importer.Pdf;
using Aggregator.Importer.Reading;
using Aggregator.Importer.Text;

namespace Aggregator.Importer;

/// <summary>
/// Reads a published 政府信息公开工作年度报告 (as text, HTML, PDF or Word) into the project's report document.
/// <para>
/// A number is either right or absent: a cell the importer cannot read with certainty (cells printed glued together
/// that the template's arithmetic does not split one way only, a row whose label is lost) is left blank with a
/// <see cref="DiagnosticSeverity.Blocking"/> diagnostic at its path and source line. Changes of form (251000元 to
/// 25.1 万元, a note dropped) are <see cref="DiagnosticSeverity.Info"/>. The importer is pure and thread-safe.
/// </para>
/// <para>
/// Its work is linear in the input. An input that passes a limit of <see cref="ImporterOptions"/> (the time budget,
/// the nesting depth or the table cells of a page) is not read: the result carries an <see cref="ImportResult.Refusal"/>
/// naming the limit and no document. A cancelled import throws <see cref="OperationCanceledException"/>.
/// </para>
/// </summary>
public static class ReportImporter
{
    // Compiling the template's patterns and the first run of the code (PdfPig's too) take a second or more on a busy
    // machine, once per process: a small page, PDF and Word file (WarmUp/) are read first, outside any import's budget.
    static ReportImporter()
    {
        Template.Prepare();
        var budget = new ImportBudget(ImporterOptions.Default with { TimeBudget = Timeout.InfiniteTimeSpan }, CancellationToken.None);
        ReportReader.Read(HtmlRenderer.Render(WarmUpPage, budget), [], budget);
        ReportReader.Read(SourceText.Create(WarmUpPage), [], budget);
        ReportReader.Read(PdfRenderer.Render(WarmUpFile("warm-up.pdf"), budget), [], budget);
        ReportReader.Read(DocxRenderer.Render(WarmUpFile("warm-up.docx"), budget), [], budget);
    }

    private static byte[] WarmUpFile(string name)
    {
        using var stream = typeof(ReportImporter).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"The warm-up file {name} is not embedded in the importer.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private const string WarmUpPage = """
        <html><head><title>某局2023年政府信息公开工作年度报告</title></head><body><div><p>一、总体情况</p><p>二、主动公开政府信息情况</p>
        <table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr><tr><td>规章</td><td>0</td><td rowspan="2">1</td><td>2元</td></tr></table>
        <p>三、收到和处理政府信息公开申请情况</p><table><tr><td>一、本年新收政府信息公开申请数量</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
        <tr><td>（七）总计</td><td>10200</td></tr></table><p>四、政府信息公开行政复议、行政诉讼情况</p><table><tr><td>0</td><td>0</td></tr></table>
        <p>五、存在的主要问题及改进情况</p><p>六、其他需要报告的事项</p></div></body></html>
        """;

    /// <summary>
    /// Reads a report published as plain text: one cell per tab-led line, pdftotext -layout columns, cells glued
    /// together, or markdown pipe tables (converter and OCR output), unlabelled rows placed by the template's order
    /// and arithmetic.
    /// </summary>
    public static ImportResult ImportText(string text) => ImportText(text, ImporterOptions.Default);

    /// <inheritdoc cref="ImportText(string)"/>
    public static ImportResult ImportText(string text, ImporterOptions options, CancellationToken cancellationToken = default) =>
        Run(options, cancellationToken, budget => ReportReader.Read(TextSource(text, budget), [], budget));

    /// <summary>A text as the readers read it: markdown pipe tables as the cell layout, anything else as it is.</summary>
    private static SourceText TextSource(string text, ImportBudget budget) =>
        PipeTables.Render(text, budget) is { } cells ? SourceText.Create(cells.Text, cells.SourceLines) : SourceText.Create(text);

    /// <summary>Reads a report page: tables from the HTML grid (rowspan and colspan honoured), narratives from the body; site navigation, scripts and styles are ignored.</summary>
    public static ImportResult ImportHtml(string html) => ImportHtml(html, ImporterOptions.Default);

    /// <inheritdoc cref="ImportHtml(string)"/>
    public static ImportResult ImportHtml(string html, ImporterOptions options, CancellationToken cancellationToken = default) =>
        Run(options, cancellationToken, budget => ReportReader.Read(HtmlRenderer.Render(html, budget), [], budget));

    /// <summary>
    /// Reads a PDF with a text layer: each page's running text line by line and its ruled tables cell by cell, columns
    /// and rows from the ruling lines, so a blank cell stays blank in its own column and a label wrapped over several
    /// lines stays one cell. A diagnostic's line is the page. A scan (pages of images, no text) is
    /// <see cref="UnreadableKind.NoTextLayer"/>; a password-protected or damaged file is unreadable too.
    /// </summary>
    public static ImportResult ImportPdf(byte[] pdf, ImporterOptions? options = null, CancellationToken cancellationToken = default) =>
        Run(options ?? ImporterOptions.Default, cancellationToken, budget => ReportReader.Read(PdfRenderer.Render(pdf, budget), [], budget));

    /// <summary>
    /// Reads a Word file (.docx): the document's own tables, cells spanning columns (gridSpan) and merged down (vMerge)
    /// honoured as for a page's rowspan and colspan, paragraphs as lines. A diagnostic's line is the paragraph
    /// (paragraphs and table rows counted from 1). Word 97–2003 (.doc) and damaged files are unreadable naming why; the
    /// zip is checked for bombs before it is opened.
    /// </summary>
    public static ImportResult ImportDocx(byte[] docx, ImporterOptions? options = null, CancellationToken cancellationToken = default) =>
        Run(options ?? ImporterOptions.Default, cancellationToken, budget => ReportReader.Read(DocxRenderer.Render(docx, budget), [], budget));

    /// <summary>
    /// Reads a response body by its media type: <c>text/html</c> (or <c>application/xhtml+xml</c>) as a page,
    /// <c>application/pdf</c> as a PDF, the <c>.docx</c> media type as a Word file; <c>application/msword</c> (Word's old
    /// binary .doc) is unreadable, naming what to send; <c>application/octet-stream</c> is told by its first bytes;
    /// anything else is read as text. Text is UTF-8 unless <paramref name="charset"/> or, for HTML, a
    /// <c>&lt;meta charset&gt;</c> names GB2312, GBK or GB18030; a UTF-8 byte order mark is dropped.
    /// </summary>
    public static ImportResult Import(ReadOnlySpan<byte> body, string mediaType, string? charset) =>
        Import(body, mediaType, charset, ImporterOptions.Default);

    /// <inheritdoc cref="Import(ReadOnlySpan{byte}, string, string?)"/>
    public static ImportResult Import(ReadOnlySpan<byte> body, string mediaType, string? charset, ImporterOptions options,
        CancellationToken cancellationToken = default)
    {
        var format = ImportFormats.Of(mediaType, body);
        switch (format)
        {
            case ImportFormat.Pdf:
                return ImportPdf(body.ToArray(), options, cancellationToken);
            case ImportFormat.Docx:
                return ImportDocx(body.ToArray(), options, cancellationToken);
            case ImportFormat.LegacyWord:
                return Unread(new ImportUnreadable(UnreadableKind.UnsupportedFormat, ImportFormats.LegacyWordReason));
            case ImportFormat.Unknown:
                return Unread(new ImportUnreadable(UnreadableKind.UnsupportedFormat, ImportFormats.UnknownReason));
        }
        var isHtml = format == ImportFormat.Html;
        var decoding = new List<ImportDiagnostic>();
        var text = BodyDecoder.Decode(body, isHtml, charset, decoding);
        return Run(options, cancellationToken,
            budget => ReportReader.Read(isHtml ? HtmlRenderer.Render(text, budget) : TextSource(text, budget), decoding, budget));
    }

    private static ImportResult Unread(ImportUnreadable unreadable) => new()
    {
        Unreadable = unreadable,
        Diagnostics = [new ImportDiagnostic("", unreadable.Reason, null, DiagnosticSeverity.Blocking)],
    };

    private static ImportResult Run(ImporterOptions options, CancellationToken cancellationToken, Func<ImportBudget, ImportResult> read)
    {
        var budget = new ImportBudget(options, cancellationToken);
        try
        {
            return read(budget);
        }
        catch (ImportLimitException limit)
        {
            return new ImportResult
            {
                Refusal = limit.Refusal,
                Diagnostics = [new ImportDiagnostic("", limit.Refusal.Reason, null, DiagnosticSeverity.Blocking)],
            };
        }
        catch (UnreadableFileException unreadable)
        {
            return Unread(unreadable.Unreadable);
        }
    }
}
