using System.Buffers;
using System.Text;

namespace Aggregator.Importer.Html;

/// <summary>
/// Cuts a page down to what the renderer reads, in one pass before AngleSharp parses it: comments, scripts and styles
/// go; every attribute but rowspan and colspan goes (style and class attributes make up most of a page exported from
/// Word); and the inline wrappers such a page is made of (span, font, o:p and other prefixed tags) go while their text
/// stays. Every line break is kept (those inside a dropped wrapper in an empty comment, which the parser skips), so
/// the source lines AngleSharp reports stay those of the page as published.
/// Along the way it finds the element that holds the report, so AngleSharp can be given that and the head only, and
/// refuses a page nested deeper or holding more table cells than the options allow (<see cref="PageShape"/>). A comment
/// that never closes runs to the end of the page and goes like any other; a page that ends inside a tag is copied from
/// there as it is, for the parser to drop. Either way the rest is not scanned again from every '&lt;' in it, which is
/// quadratic.
/// </summary>
internal static class HtmlSlimmer
{
    public static SlimPage Slim(string html) => Slim(html, new ImportBudget(ImporterOptions.Default, CancellationToken.None));

    public static SlimPage Slim(string html, ImportBudget budget)
    {
        // Grown in chunks: one buffer sized for a large page would be allocated on the large object heap every import.
        var output = new StringBuilder(InitialChars);
        var attributes = new List<Range>();
        var containers = new ContainerTracker();
        var shape = new PageShape(budget.Options);
        var position = 0;
        while (position < html.Length && html.IndexOf('<', position) is var open and >= 0)
        {
            budget.Step();
            output.Append(html, position, open - position);
            position = SlimMarkup(html, open, new Scan(attributes, containers, shape, output));
        }
        if (position < html.Length)
        {
            output.Append(html, position, html.Length - position);
        }
        var slimmed = output.ToString();
        budget.Check();
        return new SlimPage(slimmed, containers.Cut(slimmed, budget));
    }

    private const int InitialChars = 8192;

    private readonly record struct Scan(List<Range> Attributes, ContainerTracker Containers, PageShape Shape, StringBuilder Output);

    /// <summary>Writes the markup at <paramref name="open"/> as slimmed; returns where the source goes on after it.</summary>
    private static int SlimMarkup(string html, int open, Scan scan)
    {
        var output = scan.Output;
        if (html.AsSpan(open).StartsWith("<!--"))
        {
            var close = html.IndexOf("-->", open + 4, StringComparison.Ordinal);
            return Drop(html, open, close < 0 ? html.Length : close + 3, output);
        }
        if (!HtmlTag.TryRead(html, open, scan.Attributes, out var tag))
        {
            return Copy(html, open, HtmlTag.StartsTag(html, open) ? html.Length : open + 1, output);
        }
        Span<char> lowered = stackalloc char[MaxKnownName];
        var name = Lowered(html.AsSpan(tag.Name), lowered);
        if (!tag.IsEnd && name is "script" or "style")
        {
            return EndTag(html, name, tag.End) is { } close ? Drop(html, open, close.End.Value, output) : Copy(html, open, html.Length, output);
        }
        var breaks = html.AsSpan(open, tag.End - open).Count('\n');
        if (IsInlineWrapper(name))
        {
            // A comment holds the wrapper's line breaks: the parser skips it, leaving neither a node nor a space.
            if (breaks > 0)
            {
                output.Append("<!--").Append('\n', breaks).Append("-->");
            }
            return tag.End;
        }
        var start = output.Length;
        WriteTag(html, tag, scan.Attributes, breaks, output);
        if (tag.IsEnd)
        {
            scan.Containers.End(name, start, output.Length);
            scan.Shape.End(name);
        }
        else
        {
            scan.Containers.Start(name, start, output.Length);
            scan.Shape.Start(name, tag.SelfClosing);
        }
        if (!tag.IsEnd && IsRawText(name))
        {
            return Copy(html, tag.End, EndTag(html, name, tag.End)?.Start.Value ?? html.Length, output);
        }
        return tag.End;
    }

    // The tag with its kept attributes; the line breaks of what was dropped go before its '>'.
    private static void WriteTag(string html, HtmlTag tag, List<Range> attributes, int breaks, StringBuilder output)
    {
        output.Append(tag.IsEnd ? "</" : "<").Append(html.AsSpan(tag.Name));
        foreach (var attribute in attributes)
        {
            var text = html.AsSpan(attribute);
            if (IsSpan(text))
            {
                output.Append(' ').Append(text);
                breaks -= text.Count('\n');
            }
        }
        output.Append('\n', breaks).Append(tag.SelfClosing ? "/>" : ">");
    }

    // rowspan or colspan, the only attributes the renderer reads.
    private static bool IsSpan(ReadOnlySpan<char> attribute)
    {
        var nameLength = attribute.IndexOfAny(EndOfAttributeName);
        var name = nameLength < 0 ? attribute : attribute[..nameLength];
        return name.Equals("rowspan", StringComparison.OrdinalIgnoreCase) || name.Equals("colspan", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsInlineWrapper(ReadOnlySpan<char> name) => name is "span" or "font" || name.Contains(':');

    // Elements whose text is not markup: copied as they are up to their end tag.
    private static bool IsRawText(ReadOnlySpan<char> name) => name is "title" or "textarea" or "xmp" or "iframe" or "noembed" or "noframes";

    private static readonly SearchValues<char> EndOfAttributeName = SearchValues.Create(" \t\n\r\f=/>");

    // Longer than any name the slimmer or the container tracker looks for.
    private const int MaxKnownName = 12;

    /// <summary>The tag name in lower case, or as it is when it is longer than any name looked for.</summary>
    private static ReadOnlySpan<char> Lowered(ReadOnlySpan<char> name, Span<char> buffer) =>
        name.Length <= buffer.Length && name.ToLowerInvariant(buffer) is var length and >= 0 ? buffer[..length] : name;

    /// <summary>The end tag of a script, style or raw-text element: '&lt;/name' then a space, '/' or '&gt;', up to its '&gt;'.</summary>
    private static Range? EndTag(string html, ReadOnlySpan<char> name, int from)
    {
        var closing = "</" + name.ToString();
        for (var at = html.IndexOf(closing, from, StringComparison.OrdinalIgnoreCase); at >= 0; at = html.IndexOf(closing, at + 2, StringComparison.OrdinalIgnoreCase))
        {
            var after = at + closing.Length;
            if (after < html.Length && (HtmlTag.IsSpace(html[after]) || html[after] is '/' or '>'))
            {
                var close = html.IndexOf('>', after);
                return close < 0 ? null : at..(close + 1);
            }
        }
        return null;
    }

    private static int Copy(string html, int start, int end, StringBuilder output)
    {
        output.Append(html, start, end - start);
        return end;
    }

    // Dropped markup leaves its line breaks, or a space when it had none.
    private static int Drop(string html, int start, int end, StringBuilder output)
    {
        var breaks = html.AsSpan(start, end - start).Count('\n');
        output.Append(breaks > 0 ? '\n' : ' ', Math.Max(1, breaks));
        return end;
    }
}
