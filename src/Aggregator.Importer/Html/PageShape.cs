namespace Aggregator.Importer.Html;

/// <summary>
/// How deep the elements of a page nest and how many table cells it has, counted on the tags the slimmer writes, so a
/// page past the limits is refused before AngleSharp parses it (its tree builder is quadratic in the nesting depth).
/// Elements that the parser closes by themselves (p, li, td, tr …) and void elements are not counted, so the count
/// is a lower bound of the depth the parser builds; the renderer checks the parsed depth too.
/// </summary>
internal sealed class PageShape
{
    private readonly int maxDepth;
    private readonly int maxCells;
    private readonly List<string> open = [];
    private readonly Dictionary<string, int> openByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> byName;
    private int cells;

    public PageShape(ImporterOptions options)
    {
        maxDepth = options.MaxNestingDepth;
        maxCells = options.MaxTableCells;
        byName = openByName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>A start tag, its name in lower case.</summary>
    public void Start(ReadOnlySpan<char> name, bool selfClosing)
    {
        if (name is "td" or "th" && ++cells > maxCells)
        {
            throw ImportBudget.TooManyCells(maxCells);
        }
        // "/>" closes an element only inside svg and math; in HTML the parser ignores it.
        if (IsNotCounted(name) || (selfClosing && (Count("svg") > 0 || Count("math") > 0)))
        {
            return;
        }
        if (!byName.TryGetValue(name, out var key, out var count))
        {
            key = name.ToString();
        }
        openByName[key] = count + 1;
        open.Add(key);
        if (open.Count > maxDepth)
        {
            throw ImportBudget.TooDeep(maxDepth);
        }
    }

    /// <summary>An end tag: closes the nearest open element of its name and every element opened inside it.</summary>
    public void End(ReadOnlySpan<char> name)
    {
        if (Count(name) == 0)
        {
            return;
        }
        while (open.Count > 0)
        {
            var top = open[^1];
            open.RemoveAt(open.Count - 1);
            openByName[top]--;
            if (name.Equals(top, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }
    }

    private int Count(ReadOnlySpan<char> name) => byName.TryGetValue(name, out var count) ? count : 0;

    private static bool IsNotCounted(ReadOnlySpan<char> name) => name is
        "area" or "base" or "br" or "col" or "embed" or "hr" or "img" or "input" or "link" or "meta" or "param" or "source"
        or "track" or "wbr" or "keygen" or "basefont" or "bgsound" or "frame" or "image"
        or "p" or "li" or "dt" or "dd" or "option" or "optgroup" or "tr" or "td" or "th" or "tbody" or "thead" or "tfoot"
        or "colgroup" or "caption" or "rb" or "rt" or "rp" or "rtc" or "a" or "nobr" or "button" or "form"
        or "html" or "head" or "body";
}
