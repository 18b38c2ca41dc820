using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Importer.Text;

/// <summary>
/// A published report as the importer reads it: <see cref="Text"/> is the source folded with NFKC (full-width digits
/// and punctuation become ASCII, ideographic spaces become spaces), the traditional forms of the template's characters
/// made simplified (<see cref="TraditionalForms"/>), CR and zero-width characters dropped and page footers blanked, while every folded position still maps back to the source, so narratives are cut from the text as
/// published and diagnostics name the source line.
/// </summary>
internal sealed partial class SourceText
{
    private readonly int[] toOriginal;
    private readonly int[] lineStarts;
    private readonly int[]? sourceLines;

    private SourceText(string original, string text, int[] toOriginal, int[]? sourceLines)
    {
        Original = original;
        Text = text;
        this.toOriginal = toOriginal;
        this.sourceLines = sourceLines;
        lineStarts = LineStarts(original);
        HasCells = CountCellLines(text) >= MinCellLines;
    }

    // Fewer tab-led lines than this and a text is read as free layout (pdftotext, glued cells) even if it has a few tabs.
    private const int MinCellLines = 10;

    /// <summary>The source as published (for HTML: the text rendered from it).</summary>
    public string Original { get; }

    /// <summary>The folded text the readers search.</summary>
    public string Text { get; }

    /// <summary>True when tables are laid out one cell per tab-led line, rows separated by empty lines.</summary>
    public bool HasCells { get; }

    /// <param name="original">The text to read.</param>
    /// <param name="sourceLines">For text rendered from another source (HTML): the source line of each rendered line.</param>
    public static SourceText Create(string original, int[]? sourceLines = null)
    {
        var chars = new char[original.Length + 16];
        var map = new int[chars.Length + 1];
        var length = 0;
        for (var i = 0; i < original.Length; i++)
        {
            var c = original[i];
            if (c is >= '\u4E00' and <= '\u9FFF')
            {
                c = TraditionalForms.Fold(c);
            }
            var folded = c < 0x80 || c is >= '\u4E00' and <= '\u9FFF' ? null : Folded[c] ??= Fold(c);
            if (length + (folded?.Length ?? 1) >= chars.Length)
            {
                Array.Resize(ref chars, chars.Length * 2);
                Array.Resize(ref map, chars.Length + 1);
            }
            if (folded is null)
            {
                if (c != '\r')
                {
                    map[length] = i;
                    chars[length++] = c == '\f' ? '\n' : c;
                }
                continue;
            }
            foreach (var f in folded)
            {
                map[length] = i;
                chars[length++] = f;
            }
        }
        map[length] = original.Length;
        var text = chars.AsSpan(0, length);
        foreach (var footer in PageFooter().EnumerateMatches(text))
        {
            text.Slice(footer.Index, footer.Length).Fill(' ');
        }
        return new SourceText(original, new string(text), map, sourceLines);
    }

    /// <summary>The 1-based source line of a position in <see cref="Text"/>.</summary>
    public int LineAt(int index)
    {
        var original = toOriginal[Math.Clamp(index, 0, toOriginal.Length - 1)];
        var line = Array.BinarySearch(lineStarts, original);
        line = line >= 0 ? line : ~line - 1;
        return sourceLines is not null && line < sourceLines.Length ? sourceLines[line] : line + 1;
    }

    /// <summary>The published text between two positions of <see cref="Text"/>: page footers and breaks dropped, trimmed.</summary>
    public string OriginalBetween(int start, int end)
    {
        var published = Original[toOriginal[start]..toOriginal[end]].Replace('\f', '\n');
        return PageFooter().Replace(published, "").Trim();
    }

    // Filled lazily: every thread computes the same string, so a race only repeats work.
    private static readonly string?[] Folded = new string?[char.MaxValue + 1];

    private static string Fold(char c)
    {
        if (char.IsSurrogate(c))
        {
            return c.ToString();
        }
        if (c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD')
        {
            return "";
        }
        // A stand-alone character is always a valid string to normalise; composition across characters does not
        // occur in the Chinese text the template is printed in.
        // A compatibility ideograph folds to a unified one, which may be a traditional form.
        return string.Concat(c.ToString().Normalize(NormalizationForm.FormKC).Select(TraditionalForms.Fold));
    }

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            starts.Add(i + 1);
        }
        return starts.ToArray();
    }

    private static int CountCellLines(string text)
    {
        var count = 0;
        for (var i = 0; i < text.Length && count < MinCellLines; i = text.IndexOf('\n', i) is var n and >= 0 ? n + 1 : text.Length)
        {
            if (text[i] == '\t')
            {
                count++;
            }
        }
        return count;
    }

    // Page footers that pdftotext leaves inside tables: "-4-", "- 4 -", "第 4 页", "第4页 共6页". Runs of spaces
    // next to optional parts are taken whole (atomic), so a footer-like line with spaces and more text fails at once.
    [GeneratedRegex(@"^[ \t]*(?:-[ \t]*\d{1,3}[ \t]*-|第[ \t]*\d{1,3}[ \t]*页(?:(?>[ \t]*)(?:[,/](?>[ \t]*))?共[ \t]*\d{1,3}[ \t]*页)?)(?>[ \t\r]*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex PageFooter();
}
