using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Aggregator.Importer.Html;

/// <summary>
/// Finds the part of a page that holds the report, leaving out site navigation and furniture. The page is walked
/// without recursion, and the text of the elements that may hold the heading is read once for all of them: reading
/// each ancestor's TextContent in turn is quadratic in the depth of the page.
/// </summary>
internal static class ReportRegion
{
    /// <summary>Words of which a template table holds at least one.</summary>
    public static readonly string[] TemplateTableWords = ["申请人情况", "本年新收", "信息内容", "行政复议", "本年制发件数", "本年新制作数量"];

    /// <summary>The heading the region must hold besides the tables.</summary>
    public const string OverviewHeading = "总体情况";

    /// <summary>The smallest element holding every template table and the 总体情况 heading; null when the page has no template table.</summary>
    public static IElement? Root(IDocument document, ImportBudget budget)
    {
        if (document.DocumentElement is not { } html)
        {
            return null;
        }
        // Innermost tables do not overlap: the TextContent of each is one pass over the page at most.
        var tables = InnermostTables(html, budget);
        tables.RemoveAll(t => !ContainsAny(t.TextContent, TemplateTableWords));
        if (tables.Count == 0)
        {
            return null;
        }
        var root = tables[0];
        foreach (var table in tables.Skip(1))
        {
            var ancestors = new HashSet<INode>();
            for (INode? node = table; node is not null; node = node.Parent)
            {
                ancestors.Add(node);
            }
            while (!ancestors.Contains(root) && root.ParentElement is { } parent)
            {
                root = parent;
            }
        }
        var chain = new List<IElement>();
        for (var element = root; element is not null; element = element.ParentElement)
        {
            chain.Add(element);
        }
        var ranges = TextRanges(chain[^1], chain.ToHashSet(), budget, out var text);
        var headings = new List<int>();
        for (var i = text.IndexOf(OverviewHeading, StringComparison.Ordinal); i >= 0; i = text.IndexOf(OverviewHeading, i + OverviewHeading.Length, StringComparison.Ordinal))
        {
            headings.Add(i);
        }
        bool HoldsHeading(IElement element)
        {
            var (start, end) = ranges[element];
            var first = headings.BinarySearch(start);
            first = first >= 0 ? first : ~first;
            return first < headings.Count && headings[first] + OverviewHeading.Length <= end;
        }
        return chain.FirstOrDefault(HoldsHeading) ?? chain[^1];
    }

    /// <summary>True when <paramref name="root"/> is an element inside the body, not the body or the whole page.</summary>
    public static bool IsInsideBody(IDocument document, IElement? root) =>
        root is not null && document.Body is { } body && root != body && body.Contains(root);

    /// <summary>The tables below <paramref name="top"/> that hold no table, in document order.</summary>
    private static List<IElement> InnermostTables(IElement top, ImportBudget budget)
    {
        var tables = new List<IElement>();
        // The tables open on the way down, each with whether a table was met inside it.
        var open = new List<(IElement Table, bool HoldsTable)>();
        Walk(top, budget, enter: node =>
        {
            if (node is IHtmlTableElement table)
            {
                if (open.Count > 0)
                {
                    open[^1] = (open[^1].Table, true);
                }
                open.Add((table, false));
            }
        }, leave: node =>
        {
            if (node is IHtmlTableElement)
            {
                if (!open[^1].HoldsTable)
                {
                    tables.Add(open[^1].Table);
                }
                else if (open.Count > 1)
                {
                    open[^2] = (open[^2].Table, true);
                }
                open.RemoveAt(open.Count - 1);
            }
        });
        return tables;
    }

    /// <summary>The TextContent of <paramref name="top"/>, and where the text of each element of <paramref name="wanted"/> starts and ends in it.</summary>
    private static Dictionary<IElement, (int Start, int End)> TextRanges(IElement top, HashSet<IElement> wanted, ImportBudget budget, out string text)
    {
        var content = new System.Text.StringBuilder();
        var starts = new Dictionary<IElement, int>();
        var ranges = new Dictionary<IElement, (int, int)>();
        Walk(top, budget, enter: node =>
        {
            if (node is IText piece)
            {
                content.Append(piece.Data);
            }
            else if (node is IElement element && wanted.Contains(element))
            {
                starts[element] = content.Length;
            }
        }, leave: node =>
        {
            if (node is IElement element && starts.TryGetValue(element, out var start))
            {
                ranges[element] = (start, content.Length);
            }
        });
        text = content.ToString();
        return ranges;
    }

    /// <summary>
    /// Every node below and including <paramref name="top"/> in document order, without recursion. Children are taken
    /// by index: AngleSharp finds a node's NextSibling by searching its parent's children, quadratic in a wide page.
    /// </summary>
    private static void Walk(INode top, ImportBudget budget, Action<INode> enter, Action<INode> leave)
    {
        var path = new List<(INode Node, int Next)>();
        enter(top);
        path.Add((top, 0));
        while (path.Count > 0)
        {
            budget.Step();
            var (node, next) = path[^1];
            var children = node.ChildNodes;
            if (next < children.Length)
            {
                path[^1] = (node, next + 1);
                var child = children[next];
                enter(child);
                path.Add((child, 0));
                continue;
            }
            leave(node);
            path.RemoveAt(path.Count - 1);
        }
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
