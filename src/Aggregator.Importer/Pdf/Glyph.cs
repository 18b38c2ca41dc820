using UglyToad.PdfPig.Content;

namespace Aggregator.Importer.Pdf;

/// <summary>A letter of a page where it is printed: its box, its baseline and its size, in PDF points (y grows upwards).</summary>
internal readonly record struct Glyph(string Text, double Left, double Right, double Bottom, double Top, double Baseline, double Size, double Start, double End)
{
    public double CenterX => (Left + Right) / 2;

    public double CenterY => (Bottom + Top) / 2;

    public static Glyph? From(Letter letter)
    {
        if (string.IsNullOrWhiteSpace(letter.Value) || letter.TextOrientation != TextOrientation.Horizontal)
        {
            return null;
        }
        var box = letter.BoundingBox;
        var size = letter.PointSize > 0 ? letter.PointSize : Math.Max(box.Height, 1);
        if (!double.IsFinite(box.Left + box.Right + box.Bottom + box.Top + letter.StartBaseLine.Y + size))
        {
            return null;
        }
        var left = Math.Min(box.Left, box.Right);
        var right = Math.Max(box.Left, box.Right);
        if (right - left < 0.01)
        {
            right = left + size * 0.5;
        }
        var bottom = Math.Min(box.Bottom, box.Top);
        var top = Math.Max(box.Bottom, box.Top);
        if (top - bottom < 0.01)
        {
            bottom = letter.StartBaseLine.Y;
            top = bottom + size * 0.7;
        }
        // Where the pen starts and ends: the gap to the next letter is measured on the advance, not the ink
        // (punctuation such as 、 has little ink in a full-width advance).
        var (start, end) = (letter.StartBaseLine.X, letter.EndBaseLine.X);
        if (!double.IsFinite(start + end) || end < start)
        {
            (start, end) = (left, right);
        }
        return new Glyph(letter.Value, left, right, bottom, top, letter.StartBaseLine.Y, size, start, end);
    }

    /// <summary>
    /// Letters as lines of text, top to bottom: letters on one baseline (within a third of their size) make a line,
    /// left to right, with a space where the gap between two letters is more than a third of their size. A letter
    /// printed twice over itself (simulated bold) is read once.
    /// </summary>
    public static List<(double Baseline, string Text, double End, double FirstAdvance)> Lines(List<Glyph> glyphs, ImportBudget budget) =>
        Group(glyphs, budget).Select(line => (line.Baseline, Join(line.Letters), line.Letters[^1].End, line.Letters[0].End - line.Letters[0].Start)).ToList();

    /// <summary>The letters of each line, top to bottom, each line left to right (see <see cref="Lines"/>).</summary>
    public static List<(double Baseline, List<Glyph> Letters)> Group(List<Glyph> glyphs, ImportBudget budget)
    {
        var lines = new List<(double, List<Glyph>)>();
        if (glyphs.Count == 0)
        {
            return lines;
        }
        glyphs.Sort((a, b) => b.Baseline.CompareTo(a.Baseline));
        var start = 0;
        for (var i = 1; i <= glyphs.Count; i++)
        {
            budget.Step();
            if (i < glyphs.Count && glyphs[start].Baseline - glyphs[i].Baseline <= Math.Max(glyphs[start].Size, glyphs[i].Size) / 3)
            {
                continue;
            }
            var line = glyphs.GetRange(start, i - start);
            line.Sort((a, b) => a.Start.CompareTo(b.Start));
            lines.Add((glyphs[start].Baseline, line));
            start = i;
        }
        return lines;
    }

    /// <summary>A line's words: its letters cut where <see cref="Lines"/> puts a space.</summary>
    public static List<Word> Words(List<Glyph> line)
    {
        var words = new List<Word>();
        var text = new System.Text.StringBuilder();
        Glyph? first = null;
        Glyph? previous = null;
        foreach (var glyph in line)
        {
            if (previous is { } p)
            {
                var size = Math.Max(p.Size, glyph.Size);
                if (glyph.Text == p.Text && Math.Abs(glyph.Start - p.Start) < size * 0.2)
                {
                    continue; // the same letter again, a hair to the right
                }
                if (glyph.Start - p.End > size / 3)
                {
                    words.Add(new Word(text.ToString(), first!.Value.Left, p.Right, first.Value.Baseline, first.Value.Size));
                    text.Clear();
                    first = null;
                }
            }
            first ??= glyph;
            text.Append(glyph.Text);
            previous = glyph;
        }
        if (first is { } f && previous is { } last)
        {
            words.Add(new Word(text.ToString(), f.Left, last.Right, f.Baseline, f.Size));
        }
        return words;
    }

    private static string Join(List<Glyph> line) => string.Join(' ', Words(line).Select(w => w.Text));
}

/// <summary>Letters printed together, with no gap a space stands for: where it starts and ends, in PDF points.</summary>
internal readonly record struct Word(string Text, double Left, double Right, double Baseline, double Size);
