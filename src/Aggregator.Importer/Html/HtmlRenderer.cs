using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Aggregator.Importer.Text;

namespace Aggregator.Importer.Html;

/// <summary>
/// Renders a report page as text in the cell layout the text importer reads: the page title first, then the part of
/// the page that holds the report tables and the 总体情况 heading (site navigation, scripts and styles dropped),
/// paragraphs one per line, each table cell on its own tab-led line and an empty line after each table row. The table
/// grid honours rowspan and colspan: a cell is written once, in the row where it starts; in the rows below, a merged
/// empty cell reads as blank and a merged number as unreadable, never as a repeated value.
/// <para>
/// Only the head and the element holding the report are parsed when the slimmer finds that element; if the parser
/// does not see the report region inside it, the whole page is parsed as before.
/// </para>
/// </summary>
internal static class HtmlRenderer
{
    // An HtmlParser is not documented as safe to share between threads: each thread keeps its own.
    [ThreadStatic]
    private static HtmlParser? parser;

    public static SourceText Render(string html) => Render(html, cutToReport: true);

    /// <param name="html">The page.</param>
    /// <param name="cutToReport">False parses the whole page even when the element holding the report was found (to compare both).</param>
    public static SourceText Render(string html, bool cutToReport) =>
        Render(html, new ImportBudget(ImporterOptions.Default, CancellationToken.None), cutToReport);

    public static SourceText Render(string html, ImportBudget budget, bool cutToReport = true)
    {
        parser ??= new HtmlParser(new HtmlParserOptions { IsKeepingSourceReferences = true, SkipComments = true, SkipScriptText = true });
        var page = HtmlSlimmer.Slim(html, budget);
        var cut = cutToReport ? page.Report : null;
        var document = parser.ParseDocument(cut ?? page.Html);
        budget.Check();
        var root = ReportRegion.Root(document, budget);
        if (cut is not null && !ReportRegion.IsInsideBody(document, root))
        {
            // The element cut out before parsing does not hold the report as the parser reads it: parse the whole page.
            document = parser.ParseDocument(page.Html);
            budget.Check();
            root = ReportRegion.Root(document, budget);
        }
        var output = new RenderedText();
        if (document.Head?.QuerySelector("title") is { } title)
        {
            output.Append(title.TextContent, NodeRenderer.Line(title));
            output.BlankLine();
        }
        if ((root ?? document.Body ?? document.DocumentElement) is { } rendered)
        {
            new NodeRenderer(output, new RenderLimits(budget)).Render(rendered);
        }
        output.EndLine();
        return SourceText.Create(output.Text, output.SourceLines);
    }
}
