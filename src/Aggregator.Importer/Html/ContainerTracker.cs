using System.Text;

namespace Aggregator.Importer.Html;

/// <summary>
/// Follows the block containers of a page (div-like elements, tables and their cells) through the tags the slimmer
/// writes, closing them as the HTML tree builder would, to find before parsing the smallest div-like element that holds
/// every template table and the 总体情况 heading. Tag names come in lower case. Markup whose tree it cannot follow (a block straight inside a table,
/// which the parser would move out of it) makes it give no region. Every step is constant time or one pass over the
/// output: the nearest open table and cell, and the open containers of each name, are kept as containers open and close.
/// </summary>
internal sealed class ContainerTracker
{
    private enum Kind { None, Body, Block, Table, Cell, Row }

    private sealed class Container(Kind kind, string name, int start, Container? parent, int nearestTable, int nearestCell)
    {
        public Kind Kind { get; } = kind;
        public string Name { get; } = name;
        public int Start { get; } = start;
        public int End { get; set; } = -1;
        public Container? Parent { get; } = parent;
        public bool HoldsTable { get; set; }

        // Indexes in the open list of the nearest table and cell at or below this container; -1 when none.
        public int NearestTable { get; } = nearestTable;
        public int NearestCell { get; } = nearestCell;
    }

    private readonly List<Container> open = [];
    private readonly Dictionary<string, List<int>> openByName = [];
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
            case Kind.Table when Nearest(Kind.Table) is var table and >= 0:
                // Its own enclosing tables were marked when it opened.
                open[table].HoldsTable = true;
                break;
        }
        var index = open.Count;
        var parent = index > 0 ? open[^1] : null;
        var container = new Container(kind, name.ToString(), start, parent,
            kind == Kind.Table ? index : parent?.NearestTable ?? -1, kind == Kind.Cell ? index : parent?.NearestCell ?? -1);
        open.Add(container);
        if (!openByName.TryGetValue(container.Name, out var named))
        {
            openByName[container.Name] = named = [];
        }
        named.Add(index);
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
        if (openByName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var named) && named.Count > 0 && named[^1] is var i && i > boundary)
        {
            CloseAbove(i, start);
            Close(i, end);
        }
    }

    /// <summary>
    /// The head, then the element holding the report on the line where it stands: what lies between (site navigation)
    /// becomes its line breaks, what follows (site furniture) goes. Null when no such element stands inside the body.
    /// </summary>
    public string? Cut(string output, ImportBudget budget)
    {
        if (bodyStart < 0 || Region(output, ReportRegion.TemplateTableWords, ReportRegion.OverviewHeading, budget) is not { } region)
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
    private Range? Region(string output, string[] tableWords, string heading, ImportBudget budget)
    {
        if (unsure)
        {
            return null;
        }
        CloseAbove(-1, output.Length);
        // Innermost tables do not overlap: reading the text of each is one pass over the output at most.
        var template = tables.Where(t => !t.HoldsTable && ContainsAny(TextOf(output, t.Start, t.End, [], budget).Text, tableWords)).ToList();
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
        if (root is null)
        {
            return null;
        }
        // The text of the outermost container once, with where each container of the chain starts and ends in it.
        var chain = new List<Container>();
        for (var c = root; c is not null; c = c.Parent)
        {
            chain.Add(c);
        }
        var marks = chain.SelectMany(c => new[] { c.Start, c.End }).Order().Distinct().ToArray();
        var (text, at) = TextOf(output, chain[^1].Start, chain[^1].End, marks, budget);
        var headings = new List<int>();
        for (var i = text.IndexOf(heading, StringComparison.Ordinal); i >= 0; i = text.IndexOf(heading, i + heading.Length, StringComparison.Ordinal))
        {
            headings.Add(i);
        }
        int Mapped(int position) => at[Array.BinarySearch(marks, position)];
        bool HoldsHeading(Container c)
        {
            var (start, end) = (Mapped(c.Start), Mapped(c.End));
            var first = headings.BinarySearch(start);
            first = first >= 0 ? first : ~first;
            return first < headings.Count && headings[first] + heading.Length <= end;
        }
        var found = chain.FirstOrDefault(c => c.Kind == Kind.Block && HoldsHeading(c));
        return found is null ? null : found.Start..found.End;
    }

    private int Nearest(Kind kind) => open.Count == 0 ? -1 : kind == Kind.Table ? open[^1].NearestTable : open[^1].NearestCell;

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
        var named = openByName[container.Name];
        named.RemoveAt(named.Count - 1);
    }

    // Containers nest as ranges of the output: one that is not an ancestor closed before the node opened, or opened after it closed.
    private static bool IsAncestorOrSelf(Container ancestor, Container node) => ancestor.Start <= node.Start && node.End <= ancestor.End;

    /// <summary>
    /// The text of the output between <paramref name="start"/> and <paramref name="end"/> with its tags left out, so
    /// words split by markup are found, and for each of the sorted <paramref name="marks"/> its position in that text.
    /// The next '&gt;' and "--&gt;" are each searched once and kept: searching again from every '&lt;' is quadratic.
    /// </summary>
    private static (string Text, int[] At) TextOf(string output, int start, int end, int[] marks, ImportBudget budget)
    {
        var text = new StringBuilder(end - start);
        var at = new int[marks.Length];
        var mark = 0;
        // Marks before `upTo`, with the text from `segment` on still to be appended; a mark inside markup maps to where it stood.
        void Mark(int upTo, int segment, bool inclusive)
        {
            for (; mark < marks.Length && (marks[mark] < upTo || (inclusive && marks[mark] == upTo)); mark++)
            {
                at[mark] = text.Length + Math.Max(0, marks[mark] - segment);
            }
        }
        var nextTagEnd = new NextIndex(output, ">", end);
        var nextCommentEnd = new NextIndex(output, "-->", end);
        var position = start;
        while (position < end)
        {
            budget.Step();
            var open = output.IndexOf('<', position, end - position);
            if (open < 0)
            {
                break;
            }
            Mark(open, position, inclusive: false);
            text.Append(output, position, open - position);
            var close = EndOfMarkup(output, open, end, ref nextTagEnd, ref nextCommentEnd);
            if (close < 0)
            {
                Mark(open, open, inclusive: true);
                text.Append('<');
                position = open + 1;
                continue;
            }
            position = close;
        }
        Mark(end, position, inclusive: true);
        text.Append(output, position, Math.Max(0, end - position));
        return (text.ToString(), at);
    }

    // Where the tag or comment at `open` ends, or -1 when a '<' there is text.
    private static int EndOfMarkup(string output, int open, int limit, ref NextIndex nextTagEnd, ref NextIndex nextCommentEnd)
    {
        var span = output.AsSpan(open, limit - open);
        if (span.StartsWith("<!--"))
        {
            var close = nextCommentEnd.From(open);
            return close < 0 ? -1 : close + 3;
        }
        if (span.Length > 1 && (char.IsAsciiLetter(span[1]) || span[1] == '/') && nextTagEnd.From(open) is var end and >= 0)
        {
            return end + 1;
        }
        return -1;
    }

    /// <summary>The next occurrence of a value before a limit, for searches that only move forward: each found once.</summary>
    private struct NextIndex(string text, string value, int limit)
    {
        private int searchedFrom = -1;
        private int found = -1;

        public int From(int position)
        {
            if (searchedFrom < 0 || position < searchedFrom || (found >= 0 && position > found))
            {
                searchedFrom = position;
                found = text.IndexOf(value, position, limit - position, StringComparison.Ordinal);
            }
            return found;
        }
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
