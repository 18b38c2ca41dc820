using System.Text;

namespace Aggregator.Importer.Html;

/// <summary>
/// Follows the block containers of a page (div-like elements, tables and their cells) through the tags the slimmer
/// writes, closing them as the HTML tree builder would, to find before parsing the smallest div-like element that holds
/// every template table and the 总体情况 heading. Tag names come in lower case. Markup whose tree it cannot follow (a block straight inside a table,
/// which the parser would move out of it) makes it give no region.
/// </summary>
internal sealed class ContainerTracker
{
    private enum Kind { None, Body, Block, Table, Cell, Row }

    private sealed class Container(Kind kind, string name, int start, Container? parent)
    {
        public Kind Kind { get; } = kind;
        public string Name { get; } = name;
        public int Start { get; } = start;
        public int End { get; set; } = -1;
        public Container? Parent { get; } = parent;
        public bool HoldsTable { get; set; }
    }

    private readonly List<Container> open = [];
    private readonly List<Container> tables = [];
    private bool unsure;

    // Where the body starts in the output (after its start tag); -1 until a body tag is seen.
    private int bodyStart = -1;

    /// <summary>A start tag written at output position <paramref name="start"/>, ending at <paramref name="end"/>.</summary>
    public void Start(ReadOnlySpan<char> name, int start, int end)
    {
        var kind = KindOf(name);
        if (kind == Kind.Body && bodyStart < 0)
        {
            bodyStart = end;
        }
        if (kind is Kind.None or Kind.Body || unsure)
        {
            return;
        }
        var top = open.Count > 0 ? open[^1] : null;
        switch (kind)
        {
            case Kind.Block or Kind.Table when top?.Kind == Kind.Table:
                unsure = true;
                return;
            case Kind.Cell or Kind.Row when Nearest(Kind.Table) < 0:
                return;
            case Kind.Cell or Kind.Row:
                CloseAbove(Nearest(Kind.Table), start);
                if (kind == Kind.Row)
                {
                    return;
                }
                break;
            case Kind.Table:
                open.ForEach(c => c.HoldsTable |= c.Kind == Kind.Table);
                break;
        }
        open.Add(new Container(kind, name.ToString(), start, open.Count > 0 ? open[^1] : null));
    }

    /// <summary>An end tag written in the output up to <paramref name="end"/>.</summary>
    public void End(ReadOnlySpan<char> name, int start, int end)
    {
        var kind = KindOf(name);
        if (kind is Kind.None or Kind.Body || unsure)
        {
            return;
        }
        var table = Nearest(Kind.Table);
        if (kind == Kind.Row)
        {
            if (table >= 0)
            {
                CloseAbove(table, start);
            }
            return;
        }
        // Blocks and cells close only inside the nearest table or cell; a table closes whatever is open in it.
        var boundary = kind == Kind.Table ? -1 : Math.Max(table, kind == Kind.Block ? Nearest(Kind.Cell) : -1);
        for (var i = open.Count - 1; i > boundary; i--)
        {
            if (name.SequenceEqual(open[i].Name))
            {
                CloseAbove(i, start);
                Close(i, end);
                return;
            }
        }
    }

    /// <summary>
    /// The head, then the element holding the report on the line where it stands: what lies between (site navigation)
    /// becomes its line breaks, what follows (site furniture) goes. Null when no such element stands inside the body.
    /// </summary>
    public string? Cut(string output)
    {
        if (bodyStart < 0 || Region(output, ReportRegion.TemplateTableWords, ReportRegion.OverviewHeading) is not { } region)
        {
            return null;
        }
        var (start, end) = (region.Start.Value, region.End.Value);
        if (start < bodyStart)
        {
            return null;
        }
        var skipped = output.AsSpan(bodyStart, start - bodyStart).Count('\n');
        return string.Concat(output.AsSpan(0, bodyStart), new string('\n', skipped), output.AsSpan(start, end - start));
    }

    /// <summary>The output range of the region, or null when the page gives none short of the whole body.</summary>
    private Range? Region(string output, string[] tableWords, string heading)
    {
        if (unsure)
        {
            return null;
        }
        CloseAbove(-1, output.Length);
        var template = tables.Where(t => !t.HoldsTable && ContainsAny(TextOf(output, t), tableWords)).ToList();
        if (template.Count == 0)
        {
            return null;
        }
        var root = template[0];
        foreach (var table in template.Skip(1))
        {
            while (root is not null && !IsAncestorOrSelf(root, table))
            {
                root = root.Parent;
            }
        }
        while (root is not null && (root.Kind != Kind.Block || !TextOf(output, root).Contains(heading, StringComparison.Ordinal)))
        {
            root = root.Parent;
        }
        return root is null ? null : root.Start..root.End;
    }

    private int Nearest(Kind kind)
    {
        for (var i = open.Count - 1; i >= 0; i--)
        {
            if (open[i].Kind == kind)
            {
                return i;
            }
        }
        return -1;
    }

    // Closes every container above index `keep`, each ending where the closing markup starts.
    private void CloseAbove(int keep, int at)
    {
        for (var i = open.Count - 1; i > keep; i--)
        {
            Close(i, at);
        }
    }

    private void Close(int index, int end)
    {
        var container = open[index];
        container.End = end;
        if (container.Kind == Kind.Table)
        {
            tables.Add(container);
        }
        open.RemoveAt(index);
    }

    private static bool IsAncestorOrSelf(Container ancestor, Container? node)
    {
        for (; node is not null; node = node.Parent)
        {
            if (node == ancestor)
            {
                return true;
            }
        }
        return false;
    }

    // The text of a container's output with its tags left out, so words split by markup are found.
    private static string TextOf(string output, Container container)
    {
        var text = new StringBuilder(container.End - container.Start);
        var position = container.Start;
        while (position < container.End)
        {
            var open = output.IndexOf('<', position, container.End - position);
            if (open < 0)
            {
                break;
            }
            text.Append(output, position, open - position);
            var close = EndOfMarkup(output, open, container.End);
            if (close < 0)
            {
                text.Append('<');
                position = open + 1;
                continue;
            }
            position = close;
        }
        text.Append(output, position, Math.Max(0, container.End - position));
        return text.ToString();
    }

    // Where the tag or comment at `open` ends, or -1 when a '<' there is text.
    private static int EndOfMarkup(string output, int open, int limit)
    {
        var span = output.AsSpan(open, limit - open);
        if (span.StartsWith("<!--"))
        {
            var close = span.IndexOf("-->");
            return close < 0 ? -1 : open + close + 3;
        }
        if (span.Length > 1 && (char.IsAsciiLetter(span[1]) || span[1] == '/') && span.IndexOf('>') is var end and >= 0)
        {
            return open + end + 1;
        }
        return -1;
    }

    private static bool ContainsAny(string text, string[] words) => words.Any(w => text.Contains(w, StringComparison.Ordinal));

    private static Kind KindOf(ReadOnlySpan<char> name) => name switch
    {
        "body" => Kind.Body,
        "table" => Kind.Table,
        "td" or "th" => Kind.Cell,
        "tr" or "tbody" or "thead" or "tfoot" or "caption" or "colgroup" => Kind.Row,
        "div" or "section" or "article" or "main" or "center" or "aside" or "header" or "footer" or "blockquote" or "fieldset" or "figure" => Kind.Block,
        _ => Kind.None,
    };
}
