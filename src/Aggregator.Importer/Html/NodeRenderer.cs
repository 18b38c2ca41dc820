using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Aggregator.Importer.Reading;

namespace Aggregator.Importer.Html;

/// <summary>Writes the nodes of a page as rendered text: running text collapsed, blocks on lines of their own, tables cell by cell.</summary>
internal sealed class NodeRenderer
{
    private static readonly HashSet<string> Skipped =
        ["script", "style", "noscript", "template", "nav", "select", "button", "iframe", "svg", "object", "head", "input", "textarea"];

    private static readonly HashSet<string> Blocks =
    [
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header", "footer", "main",
        "aside", "blockquote", "pre", "dl", "dt", "dd", "form", "center", "address", "fieldset", "hr", "figure", "figcaption", "caption",
    ];

    private readonly RenderedText output;
    private readonly RenderLimits limits;

    // Renders the content of one cell at a time (and, through its own, the cells of tables nested in it).
    private NodeRenderer? cellRenderer;

    public NodeRenderer(RenderedText output, RenderLimits limits)
    {
        this.output = output;
        this.limits = limits;
    }

    public static int Line(IElement element) => element.SourceReference?.Position.Line ?? 1;

    public void Render(INode node)
    {
        limits.Enter();
        switch (node)
        {
            case IText text:
                output.Append(text.Data, node.ParentElement is { } parent ? Line(parent) : 1);
                break;
            case IHtmlTableElement table:
                new TableGrid(this, limits).Render(table);
                break;
            case IElement element:
                RenderElement(element);
                break;
        }
        limits.Leave();
    }

    private void RenderElement(IElement element)
    {
        var name = element.LocalName;
        if (name == "br")
        {
            output.EndLine();
            return;
        }
        if (Skipped.Contains(name))
        {
            return;
        }
        var block = Blocks.Contains(name);
        if (block)
        {
            output.EndLine();
        }
        // By index: AngleSharp's NextSibling searches the parent's children, quadratic in a wide page.
        foreach (var child in element.ChildNodes)
        {
            Render(child);
        }
        if (block)
        {
            output.EndLine();
        }
    }

    public void BlankLine() => output.BlankLine();

    /// <summary>A cell where it starts: a tab-led line with its first line of text, then its other lines; returns the lines.</summary>
    public List<string> WriteCell(IElement cell)
    {
        var lines = CellLines(cell);
        var line = Line(cell);
        output.EndLine();
        output.AppendRaw("\t", line);
        output.Append(lines.Count > 0 ? lines[0] : "", line);
        output.EndLine();
        for (var i = 1; i < lines.Count; i++)
        {
            output.Append(lines[i], line);
            output.EndLine();
        }
        return lines;
    }

    /// <summary>
    /// What a cell merged down from a row above writes in that row, given its lines: blank stays blank; a number cannot
    /// be given to this row too; words are a label and write nothing (null).
    /// </summary>
    public static string? Merged(List<string> lines) =>
        lines.Count == 0 ? "\t" : CellText.TryNumber(string.Concat(lines)) is null ? null : "\t" + CellText.MergedMarker;

    /// <summary>A cell merged down from a row above, as <see cref="Merged"/> gave it.</summary>
    public void WriteMerged(IElement cell, string merged)
    {
        output.EndLine();
        output.AppendRaw(merged, Line(cell));
        output.EndLine();
    }

    private List<string> CellLines(IElement cell)
    {
        cellRenderer ??= new NodeRenderer(new RenderedText(), limits);
        var inner = cellRenderer.output;
        inner.Clear();
        foreach (var child in cell.ChildNodes)
        {
            cellRenderer.Render(child);
        }
        inner.EndLine();
        return inner.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }
}
