namespace Aggregator.Importer.Html;

/// <summary>A start or end tag as the HTML tokenizer reads it: name, attributes (each from its name to the end of its value) and where it ends.</summary>
internal readonly record struct HtmlTag(Range Name, bool IsEnd, bool SelfClosing, int End)
{
    /// <summary>
    /// Reads the tag opening at <paramref name="open"/> (a '&lt;'), filling <paramref name="attributes"/>; false when
    /// what follows is not a tag (no letter after the '&lt;', or the page ends inside it).
    /// </summary>
    public static bool TryRead(string html, int open, List<Range> attributes, out HtmlTag tag)
    {
        tag = default;
        attributes.Clear();
        var i = open + 1;
        var isEnd = i < html.Length && html[i] == '/';
        if (isEnd)
        {
            i++;
        }
        if (i >= html.Length || !char.IsAsciiLetter(html[i]))
        {
            return false;
        }
        var nameStart = i;
        i = EndOfName(html, i);
        var name = nameStart..i;
        var selfClosing = false;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '>')
            {
                tag = new HtmlTag(name, isEnd, selfClosing, i + 1);
                return true;
            }
            selfClosing = c == '/';
            if (IsSpace(c) || c == '/')
            {
                i++;
                continue;
            }
            var attributeStart = i;
            i = EndOfAttribute(html, i);
            if (i < 0)
            {
                return false;
            }
            attributes.Add(attributeStart..i);
        }
        return false;
    }

    /// <summary>True when a letter (or '/' and a letter) follows the '&lt;' at <paramref name="open"/>: a tag, unless the page ends inside it.</summary>
    public static bool StartsTag(string html, int open)
    {
        var i = open + 1 < html.Length && html[open + 1] == '/' ? open + 2 : open + 1;
        return i < html.Length && char.IsAsciiLetter(html[i]);
    }

    public static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    private static int EndOfName(string html, int i)
    {
        while (i < html.Length && !IsSpace(html[i]) && html[i] is not '/' and not '>')
        {
            i++;
        }
        return i;
    }

    // An attribute: its name (which may start with '='), then optionally '=' and a quoted or bare value; -1 when the page ends in a quote.
    private static int EndOfAttribute(string html, int i)
    {
        i++;
        while (i < html.Length && !IsSpace(html[i]) && html[i] is not '/' and not '>' and not '=')
        {
            i++;
        }
        var afterName = i;
        while (i < html.Length && IsSpace(html[i]))
        {
            i++;
        }
        if (i >= html.Length || html[i] != '=')
        {
            return afterName;
        }
        i++;
        while (i < html.Length && IsSpace(html[i]))
        {
            i++;
        }
        if (i < html.Length && html[i] is '"' or '\'')
        {
            var close = html.IndexOf(html[i], i + 1);
            return close < 0 ? -1 : close + 1;
        }
        while (i < html.Length && !IsSpace(html[i]) && html[i] != '>')
        {
            i++;
        }
        return i;
    }
}
