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
/// </summary>
internal static class HtmlRenderer
{
    // An HtmlParser is not documented as safe to share between threads: each thread keeps its own.
    [ThreadStatic]
    private static HtmlParser? parser;

    public static SourceText Render(string html)
    {
        parser ??= new HtmlParser(new HtmlParserOptions { IsKeepingSourceReferences = true, SkipComments = true, SkipScriptText = true });
        var document = parser.ParseDocument(HtmlSlimmer.Slim(html));
        var output = new RenderedText();
        if (document.Head?.QuerySelector("title") is { } title)
        {
            output.Append(title.TextContent, NodeRenderer.Line(title));
            output.BlankLine();
        }
        if ((ReportRegion.Root(document) ?? document.Body ?? document.DocumentElement) is { } root)
        {
            new NodeRenderer(output).Render(root);
        }
        output.EndLine();
        return SourceText.Create(output.Text, output.SourceLines);
    }
}
