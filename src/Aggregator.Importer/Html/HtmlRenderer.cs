using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Aggregator.Importer.Reading;
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
    private static readonly string[] TemplateTableWords = ["申请人情况", "本年新收", "信息内容", "行政复议", "本年制发件数", "本年新制作数量"];

    private static readonly HashSet<string> Skipped =
        ["script", "style", "noscript", "template", "nav", "select", "button", "iframe", "svg", "object", "head", "input", "textarea"];

    private static readonly HashSet<string> Blocks =
    [
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header", "footer", "main",
        "aside", "blockquote", "pre", "dl", "dt", "dd", "form", "center", "address", "fieldset", "hr", "figure", "figcaption", "caption",
    ];

    [ThreadStatic]
    private static HtmlParser? parser;

    public static SourceText Render(string html)
    {
        parser ??= new HtmlParser(new HtmlParserOptions { IsKeepingSourceReferences = true, SkipComments = true, SkipScriptText = true });
        var document = parser.ParseDocument(HtmlSlimmer.Slim(html));
        var output = new RenderedText();
        if (document.Head?.QuerySelector("title") is { } title)
        {
            output.Append(title.TextContent, Line(title));
            output.BlankLine();
        }
        if ((ContentRoot(document) ?? document.Body ?? document.DocumentElement) is { } root)
        {
            Render(root, output);
        }
        output.EndLine();
        return SourceText.Create(output.Text, output.SourceLines);
    }

    /// <summary>The smallest element holding every template table and the 总体情况 heading; null when the page has no template table.</summary>
    private static IElement? ContentRoot(IDocument document)
    {
        var tables = document.QuerySelectorAll("table")
            .Where(t => t.QuerySelector("table") is null && TemplateTableWords.Any(t.TextContent.Contains))
            .ToList();
        if (tables.Count == 0)
        {
            return null;
        }
        var root = tables[0];
        foreach (var table in tables.Skip(1))
        {
            while (!root.Contains(table) && root.ParentElement is { } parent)
            {
                root = parent;
            }
        }
        while (!root.TextContent.Contains("总体情况") && root.ParentElement is { } up)
        {
            root = up;
        }
        return root;
    }

    private static void Render(INode node, RenderedText output)
    {
        switch (node)
        {
            case IText text:
                output.Append(text.Data, node.ParentElement is { } parent ? Line(parent) : 1);
                break;
            case IHtmlTableElement table:
                RenderTable(table, output);
                break;
            case IElement element when element.LocalName == "br":
                output.EndLine();
                break;
            case IElement element when Skipped.Contains(element.LocalName):
                break;
            case IElement element:
                var block = Blocks.Contains(element.LocalName);
                if (block)
                {
                    output.EndLine();
                }
                foreach (var child in element.ChildNodes)
                {
                    Render(child, output);
                }
                if (block)
                {
                    output.EndLine();
                }
                break;
        }
    }

    private sealed record Span(IHtmlTableCellElement Cell, int FirstColumn, int FromRow, int ToRow);

    private static void RenderTable(IHtmlTableElement table, RenderedText output)
    {
        output.BlankLine();
        var spans = new List<Span?>();
        var rowIndex = 0;
        foreach (var row in table.Rows)
        {
            var own = row.Cells;
            var next = 0;
            for (var column = 0; next < own.Length || column < spans.Count; column++)
            {
                while (spans.Count <= column)
                {
                    spans.Add(null);
                }
                if (spans[column] is { } span && span.FromRow < rowIndex && span.ToRow >= rowIndex)
                {
                    if (span.FirstColumn == column)
                    {
                        WriteMerged(span.Cell, output);
                    }
                    continue;
                }
                if (next == own.Length)
                {
                    continue;
                }
                var cell = own[next++];
                WriteCell(cell, output);
                var width = Math.Max(1, cell.ColumnSpan);
                var height = cell.RowSpan <= 0 ? int.MaxValue / 2 : cell.RowSpan;
                for (var c = column; c < column + width; c++)
                {
                    while (spans.Count <= c)
                    {
                        spans.Add(null);
                    }
                    spans[c] = height > 1 ? new Span(cell, column, rowIndex, rowIndex + height - 1) : null;
                }
                column += width - 1;
            }
            output.BlankLine();
            rowIndex++;
        }
    }

    private static void WriteCell(IHtmlTableCellElement cell, RenderedText output)
    {
        var lines = CellLines(cell);
        var line = Line(cell);
        output.EndLine();
        output.AppendRaw("\t", line);
        output.Append(lines.Count > 0 ? lines[0] : "", line);
        output.EndLine();
        foreach (var more in lines.Skip(1))
        {
            output.Append(more, line);
            output.EndLine();
        }
    }

    // A cell merged down from a row above: blank stays blank; a number cannot be given to this row too; words are a label.
    private static void WriteMerged(IHtmlTableCellElement cell, RenderedText output)
    {
        var lines = CellLines(cell);
        if (lines.Count > 0 && CellText.TryNumber(string.Concat(lines)) is null)
        {
            return;
        }
        output.EndLine();
        output.AppendRaw(lines.Count == 0 ? "\t" : "\t" + CellText.MergedMarker, Line(cell));
        output.EndLine();
    }

    private static List<string> CellLines(IElement cell)
    {
        var inner = new RenderedText();
        foreach (var child in cell.ChildNodes)
        {
            Render(child, inner);
        }
        inner.EndLine();
        return inner.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }

    private static int Line(IElement element) => element.SourceReference?.Position.Line ?? 1;
}
