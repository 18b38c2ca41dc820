using Aggregator.Importer.Reading;

namespace Aggregator.Importer.Pdf;

/// <summary>
/// Tables printed without ruling lines (a Word table without borders, saved as PDF), found in the page's running text
/// by their geometry. A row is a line that ends in values (numbers, or dashes for blanks) with only words to their
/// left; the rows next to each other, and the lines of words between them that stay left of every value, make a
/// table. Its value columns are where the values of all its rows are printed (the spans of values that overlap are
/// one column), or, when the header above prints more columns than the values fill, the header's (blank columns), so
/// a blank cell stays blank in its own column; a table continued on the next page without its header takes the last
/// header's. The lines of words between rows are the labels wrapped in their cells: below their row's values when the
/// cells are aligned at the top (the first row's label starts on its values' line), else around them (split between
/// two rows at the widest gap). In a row the words whose spans overlap are one label cell (a group's label beside an
/// item's), read top to bottom. Lines of words at the top of a page are kept apart (<see cref="LeadingLines"/>): the
/// rest of labels a page break cut, which <see cref="PdfRenderer"/> joins to the table on the page before.
/// </summary>
/// <remarks>
/// Whatever this gets wrong comes out as labels the template does not know (blank cells with a diagnostic), never as
/// values moved: the values of a line always stay one row, each under the column it is printed in; a line with two
/// values in one column, or a value outside every column, leaves the lines as running text.
/// </remarks>
internal static class UnruledTables
{
    // The fewest rows a table has; one row of this many values (part 四) is a table on its own.
    private const int MinRows = 2;
    private const int MinValuesOfOneRow = 7;

    // A gap between two lines of more than this many times their size ends a table (a paragraph, a heading).
    private const double MaxLineGap = 3.0;

    // Lines of one cell are at most this many times their size apart.
    private const double CellLineGap = 1.6;

    // The most lines at the top of a page taken for the rest of labels cut by a page break.
    private const int MaxLeadingLines = 12;

    // The most header lines read above a table (part 四 prints its column headings a character a line).
    private const int MaxHeaderLines = 12;

    // No template table has nearly as many lines on a page.
    private const int MaxLines = 400;

    private const double Tolerance = 1.0;

    /// <summary>The page's lines as blocks: running text as lines, each table found as its rows of cells.</summary>
    public static List<PdfBlock> Blocks(List<(double Baseline, List<Glyph> Letters)> lines, int page, Headings headings, ImportBudget budget)
    {
        var parsed = lines.Select(l => Line.Of(l.Baseline, Glyph.Words(l.Letters))).ToList();
        var blocks = new List<PdfBlock>();
        var i = 0;
        if (Leading(parsed, page) is { } leading)
        {
            blocks.Add(leading);
            i = leading.Lines.Count;
        }
        var afterTable = i; // lines before this one are written as text only back to here
        while (i < parsed.Count)
        {
            budget.Step();
            if (parsed[i].Values.Count > 0 && Table(parsed, i, afterTable, budget) is { } found)
            {
                // Lines above the first row already written as text are its label's: taken back.
                blocks.RemoveRange(blocks.Count - (i - found.Start), i - found.Start);
                if (Rows(parsed, found, page, headings, budget) is { } table)
                {
                    blocks.Add(table);
                }
                else
                {
                    blocks.AddRange(Enumerable.Range(found.Start, found.End - found.Start).Select(k => Text(parsed[k], page)));
                }
                i = afterTable = found.End;
                continue;
            }
            blocks.Add(Text(parsed[i], page));
            i++;
        }
        return blocks;
    }

    private static TextBlock Text(Line line, int page) => new(page, line.Baseline, string.Join(' ', line.Words.Select(w => w.Text)));

    /// <summary>A line's words, and its values: the words at its end that are numbers or dashes.</summary>
    private sealed record Line(double Baseline, double Size, List<Word> Words, List<Word> Labels, List<Word> Values)
    {
        public static Line Of(double baseline, List<Word> words)
        {
            var first = words.Count;
            while (first > 0 && IsValue(words[first - 1].Text))
            {
                first--;
            }
            var size = words.Count > 0 ? words.Max(w => w.Size) : 1;
            return new Line(baseline, size, words, words[..first], words[first..]);
        }

        /// <summary>The left edge of the first value; +∞ for a line of words only.</summary>
        public double ValuesLeft => Values.Count > 0 ? Values[0].Left : double.PositiveInfinity;

        public double Right => Words.Count > 0 ? Words[^1].Right : double.NegativeInfinity;
    }

    // Digits alone are a number without the pattern (a page of numbers would spend most of its time in it).
    private static bool IsValue(string word) =>
        word.Length > 0 && (char.IsAsciiDigit(word[0]) || CellText.IsDash(word[0]) || word[0] == '+')
        && ((word.Length <= 18 && !word.AsSpan().ContainsAnyExceptInRange('0', '9')) || word.All(CellText.IsDash) || CellText.TryNumber(word) is not null);

    /// <summary>Lines [Start, End) of a table, with the lines of words above its first row when they are that row's label (not aligned at the top).</summary>
    private readonly record struct Found(int Start, int End, bool AlignedTop);

    private static Found? Table(List<Line> lines, int first, int floor, ImportBudget budget)
    {
        var valuesLeft = lines[first].ValuesLeft;
        var labelsRight = lines[first].Labels.Count > 0 ? lines[first].Labels[^1].Right : double.NegativeInfinity;
        if (labelsRight > valuesLeft - Tolerance)
        {
            return null;
        }
        var end = first + 1;
        var lastRow = first;
        var rows = 1;
        while (end < lines.Count && end - first < MaxLines)
        {
            budget.Step();
            var line = lines[end];
            if (lines[end - 1].Baseline - line.Baseline > MaxLineGap * Math.Max(line.Size, lines[end - 1].Size))
            {
                break;
            }
            // A row: its words, and every label above, left of every value; a line of words: left of every value.
            var left = Math.Min(valuesLeft, line.ValuesLeft);
            var right = Math.Max(labelsRight, line.Values.Count > 0 ? (line.Labels.Count > 0 ? line.Labels[^1].Right : double.NegativeInfinity) : line.Right);
            if (right > left - Tolerance)
            {
                break;
            }
            (valuesLeft, labelsRight) = (left, right);
            if (line.Values.Count > 0)
            {
                lastRow = end;
                rows++;
            }
            end++;
        }
        if (rows < MinRows && lines[first].Values.Count < MinValuesOfOneRow)
        {
            return null;
        }
        // The lines of a cell follow each other closely: after the last row, and above the first (labels centred on
        // their values), only those are the table's; a heading or a paragraph is further away.
        end = Math.Min(end, lastRow + 1 + Close(lines, lastRow, end - lastRow - 1, +1));
        var start = first - Close(lines, first, Math.Min(first - floor, MaxLines), -1, valuesLeft);
        return new Found(start, end, start == first);
    }

    /// <summary>How many lines of words next to <paramref name="from"/> (after it, or before it) are close enough to be its cells' lines.</summary>
    private static int Close(List<Line> lines, int from, int most, int direction, double valuesLeft = double.PositiveInfinity)
    {
        var count = 0;
        for (var k = from + direction; count < most && k >= 0 && k < lines.Count; k += direction, count++)
        {
            var (upper, lower) = direction > 0 ? (lines[k - 1], lines[k]) : (lines[k], lines[k + 1]);
            if (lines[k].Values.Count > 0 || lines[k].Right > valuesLeft - Tolerance || upper.Baseline - lower.Baseline > CellLineGap * Math.Max(upper.Size, lower.Size))
            {
                break;
            }
        }
        return count;
    }

    private static TableBlock? Rows(List<Line> lines, Found found, int page, Headings headings, ImportBudget budget)
    {
        var columns = Columns(lines, found, budget);
        if (columns is null)
        {
            return null;
        }
        // Where the header prints more columns than the values fill (blank columns), the values go under its columns.
        var headed = HeaderColumns(lines, found, columns, headings, budget);
        var width = headed?.Count ?? columns.Count;
        int ColumnOf(Word value)
        {
            var column = Under(columns, value.Left, value.Right);
            return headed is null ? column : Under(headed, columns[column].Left, columns[column].Right);
        }
        var rowLines = Enumerable.Range(found.Start, found.End - found.Start).Where(k => lines[k].Values.Count > 0).ToList();
        var labelsOf = rowLines.ToDictionary(r => r, r => new List<Word>(lines[r].Labels));
        for (var k = found.Start; k < rowLines[0]; k++)
        {
            labelsOf[rowLines[0]].AddRange(lines[k].Words);
        }
        for (var j = 0; j < rowLines.Count; j++)
        {
            var from = rowLines[j] + 1;
            var to = j + 1 < rowLines.Count ? rowLines[j + 1] : found.End;
            var split = found.AlignedTop || j + 1 == rowLines.Count ? to : Split(lines, rowLines[j], to);
            for (var k = from; k < to; k++)
            {
                budget.Step();
                labelsOf[k < split ? rowLines[j] : rowLines[j + 1]].AddRange(lines[k].Words);
            }
        }
        var rows = new List<(TableCell?, bool)[]>();
        foreach (var r in rowLines)
        {
            var labels = LabelCells(labelsOf[r], budget);
            var row = new (TableCell?, bool)[labels.Count + width];
            for (var c = 0; c < labels.Count; c++)
            {
                row[c] = (labels[c], false);
            }
            for (var c = 0; c < width; c++)
            {
                row[labels.Count + c] = (new TableCell(""), false);
            }
            foreach (var value in lines[r].Values)
            {
                var column = ColumnOf(value);
                if (row[labels.Count + column].Item1!.Text.Length > 0)
                {
                    return null;
                }
                row[labels.Count + column] = (new TableCell(value.Text), false);
            }
            rows.Add(row);
        }
        var top = lines[found.Start].Baseline + lines[found.Start].Size;
        return new TableBlock(page, top, columns.Select(c => c.Left).ToArray(), false, false, rows) { ValuesLeft = columns[0].Left };
    }

    /// <summary>
    /// Where the lines of words between two rows whose labels are centred on their values change rows: at the widest
    /// gap between lines (the cells' padding), or, when no gap is clearly the widest, where they become nearer to the
    /// row below.
    /// </summary>
    private static int Split(List<Line> lines, int above, int below)
    {
        var widest = -1;
        double first = 0, second = 0;
        for (var k = above; k < below; k++)
        {
            var gap = lines[k].Baseline - lines[k + 1].Baseline;
            if (gap > first)
            {
                (second, first, widest) = (first, gap, k + 1);
            }
            else if (gap > second)
            {
                second = gap;
            }
        }
        if (widest > 0 && first - second > 0.2 * lines[above].Size)
        {
            return widest;
        }
        var split = above + 1;
        while (split < below && lines[above].Baseline - lines[split].Baseline <= lines[split].Baseline - lines[below].Baseline)
        {
            split++;
        }
        return split;
    }

    /// <summary>The value columns: the spans of all values of the table, overlapping ones joined; null when a row has two values in one column.</summary>
    private static List<(double Left, double Right)>? Columns(List<Line> lines, Found found, ImportBudget budget)
    {
        var spans = new List<(double Left, double Right)>();
        for (var k = found.Start; k < found.End; k++)
        {
            spans.AddRange(lines[k].Values.Select(v => (v.Left, v.Right)));
        }
        var columns = Joined(spans, budget);
        for (var k = found.Start; k < found.End; k++)
        {
            var taken = new HashSet<int>();
            foreach (var value in lines[k].Values)
            {
                if (!taken.Add(Under(columns, value.Left, value.Right)))
                {
                    return null;
                }
            }
        }
        return columns;
    }

    /// <summary>
    /// The columns of the header lines above the table, right of its labels: the words that do not span two words
    /// printed side by side on other lines (a group's heading over its columns), overlapping ones joined (a heading wrapped in its cell). Null
    /// unless they are more than the value columns and every value column is under exactly one of them, each its own.
    /// A table with no header lines (on the page after its header) takes the columns of the last header.
    /// </summary>
    private static List<(double Left, double Right)>? HeaderColumns(List<Line> lines, Found found, List<(double Left, double Right)> columns, Headings headings,
        ImportBudget budget)
    {
        var valuesLeft = columns[0].Left;
        var header = new List<List<Word>>();
        for (var k = found.Start - 1; k >= 0 && found.Start - k <= MaxHeaderLines; k--)
        {
            budget.Step();
            var words = lines[k].Words.Where(w => w.Right > valuesLeft).ToList();
            if (lines[k].Values.Count > 0 || lines[k].Baseline - lines[k + 1].Baseline > MaxLineGap * Math.Max(lines[k].Size, lines[k + 1].Size))
            {
                break;
            }
            if (words.Count > 0) // else a line of the labels' own heading only
            {
                header.Add(words);
            }
        }
        var leaves = new List<(double Left, double Right)>();
        for (var l = 0; l < header.Count; l++)
        {
            foreach (var word in header[l])
            {
                budget.Step();
                // Over two words printed side by side (on other lines): a group's heading.
                var below = header.Where((_, other) => other != l).SelectMany(other => other).Where(w => Overlaps((word.Left, word.Right), w)).ToList();
                var spans = below.Any(a => below.Any(b => !Overlaps((a.Left, a.Right), b)));
                if (!spans)
                {
                    leaves.Add((word.Left, word.Right));
                }
            }
        }
        var joined = header.Count > 0 ? Joined(leaves, budget) : headings.Last ?? [];
        if (header.Count > 0)
        {
            headings.Last = joined;
        }
        if (joined.Count <= columns.Count)
        {
            return null;
        }
        var under = columns.Select(c => joined.FindIndex(h => Overlaps(h, c.Left, c.Right))).ToList();
        var once = columns.All(c => joined.Count(h => Overlaps(h, c.Left, c.Right)) == 1);
        return once && under.Distinct().Count() == under.Count ? joined : null;
    }

    /// <summary>Spans with the overlapping ones joined, left to right.</summary>
    private static List<(double Left, double Right)> Joined(List<(double Left, double Right)> spans, ImportBudget budget)
    {
        spans.Sort((a, b) => a.Left.CompareTo(b.Left));
        var joined = new List<(double Left, double Right)>();
        foreach (var span in spans)
        {
            budget.Step();
            if (joined.Count > 0 && span.Left <= joined[^1].Right + Tolerance)
            {
                joined[^1] = (joined[^1].Left, Math.Max(joined[^1].Right, span.Right));
            }
            else
            {
                joined.Add(span);
            }
        }
        return joined;
    }

    /// <summary>The first of <paramref name="spans"/> (left to right, apart) that [left, right] overlaps, or -1.</summary>
    private static int Under(List<(double Left, double Right)> spans, double left, double right)
    {
        var (low, high) = (0, spans.Count - 1);
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (spans[middle].Right + Tolerance < left)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return spans.Count > 0 && Overlaps(spans[low], left, right) ? low : -1;
    }

    private static bool Overlaps((double Left, double Right) span, Word word) => Overlaps(span, word.Left, word.Right);

    private static bool Overlaps((double Left, double Right) span, double left, double right) => left <= span.Right + Tolerance && right >= span.Left - Tolerance;

    /// <summary>A row's words as label cells, left to right: words whose spans overlap are one cell, read top to bottom.</summary>
    public static List<TableCell> LabelCells(IEnumerable<Word> words, ImportBudget budget)
    {
        var cells = new List<(double Left, double Right, List<Word> Words)>();
        foreach (var word in words.OrderBy(w => w.Left))
        {
            budget.Step();
            if (cells.Count > 0 && word.Left <= cells[^1].Right + Tolerance)
            {
                cells[^1].Words.Add(word);
                cells[^1] = (cells[^1].Left, Math.Max(cells[^1].Right, word.Right), cells[^1].Words);
            }
            else
            {
                cells.Add((word.Left, word.Right, [word]));
            }
        }
        return cells.Select(cell => new TableCell(Text(cell.Words)) { Left = cell.Left, Right = cell.Right }).ToList();
    }

    /// <summary>
    /// The lines of words at the top of a page, close together and before anything else, when they may be the rest
    /// of labels a page break cut (see <see cref="PdfRenderer"/>): null when the page starts otherwise.
    /// </summary>
    private static LeadingLines? Leading(List<Line> lines, int page)
    {
        var count = 0;
        while (count < lines.Count && count < MaxLeadingLines && lines[count].Values.Count == 0
               && (count == 0 || lines[count - 1].Baseline - lines[count].Baseline <= CellLineGap * Math.Max(lines[count - 1].Size, lines[count].Size)))
        {
            count++;
        }
        var closed = count < lines.Count && count > 0 && lines[count - 1].Baseline - lines[count].Baseline > CellLineGap * Math.Max(lines[count - 1].Size, lines[count].Size);
        return count > 0 && (closed || count == lines.Count)
            ? new LeadingLines(page, lines[0].Baseline, lines.Take(count).Select(l => Text(l, page)).ToList(), lines.Take(count).SelectMany(l => l.Words).ToList())
            : null;
    }

    /// <summary>A cell's words top to bottom, each line left to right; Latin letters and digits kept apart by a space.</summary>
    private static string Text(List<Word> words)
    {
        var text = new System.Text.StringBuilder();
        foreach (var word in words.OrderByDescending(w => Math.Round(w.Baseline, 1)).ThenBy(w => w.Left))
        {
            if (text.Length > 0 && char.IsAsciiLetterOrDigit(text[^1]) && word.Text.Length > 0 && char.IsAsciiLetterOrDigit(word.Text[0]))
            {
                text.Append(' ');
            }
            text.Append(word.Text);
        }
        return text.ToString();
    }

    /// <summary>The columns of the last table header read, for a table a page break cut from its header.</summary>
    public sealed class Headings
    {
        public List<(double Left, double Right)>? Last { get; set; }
    }
}
