using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Aggregator.Importer.Html;

/// <summary>Finds the part of a page that holds the report, leaving out site navigation and furniture.</summary>
internal static class ReportRegion
{
    /// <summary>Words of which a template table holds at least one.</summary>
    public static readonly string[] TemplateTableWords = ["申请人情况", "本年新收", "信息内容", "行政复议", "本年制发件数", "本年新制作数量"];

    /// <summary>The heading the region must hold besides the tables.</summary>
    public const string OverviewHeading = "总体情况";

    /// <summary>The smallest element holding every template table and the 总体情况 heading; null when the page has no template table.</summary>
    public static IElement? Root(IDocument document)
    {
        var tables = new List<IElement>();
        if (document.DocumentElement is { } html)
        {
            CollectInnermostTables(html, tables);
        }
        tables.RemoveAll(t => !ContainsAny(t.TextContent, TemplateTableWords));
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
        while (!root.TextContent.Contains(OverviewHeading, StringComparison.Ordinal) && root.ParentElement is { } up)
        {
            root = up;
        }
        return root;
    }

    /// <summary>True when <paramref name="root"/> is an element inside the body, not the body or the whole page.</summary>
    public static bool IsInsideBody(IDocument document, IElement? root) =>
        root is not null && document.Body is { } body && root != body && body.Contains(root);

    /// <summary>Adds the tables below <paramref name="element"/> that hold no table, in document order; true when it holds a table.</summary>
    private static bool CollectInnermostTables(IElement element, List<IElement> tables)
    {
        var holdsTable = false;
        for (var child = element.FirstElementChild; child is not null; child = child.NextElementSibling)
        {
            var below = CollectInnermostTables(child, tables);
            if (child is IHtmlTableElement && !below)
            {
                tables.Add(child);
            }
            holdsTable |= below || child is IHtmlTableElement;
        }
        return holdsTable;
    }

    private static bool ContainsAny(string text, string[] words)
    {
        foreach (var word in words)
        {
            if (text.Contains(word, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
