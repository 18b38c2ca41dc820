using UglyToad.PdfPig.Content;

namespace Aggregator.Importer.Pdf;

/// <summary>A piece of a page in reading order: a line of running text, or a ruled table as rows of cells.</summary>
internal abstract record PdfBlock(int Page, double Y);

internal sealed record TextBlock(int Page, double Y, string Text) : PdfBlock(Page, Y);

/// <summary>A cell of a ruled table, shared by the grid rows it spans; its text may grow when a row cut by a page break is joined.</summary>
internal sealed class TableCell(string text)
{
    public string Text { get; set; } = text;

    /// <summary>Where a label cell of a table without ruling lines is printed (NaN otherwise).</summary>
    public double Left { get; init; } = double.NaN;

    public double Right { get; init; } = double.NaN;
}

/// <summary>
/// A ruled table's rows: for each column, the cell that starts there (null where a cell of a column to the left spans
/// over it) and whether it goes on from the row above.
/// </summary>
internal sealed record TableBlock(int Page, double Y, IReadOnlyList<double> ColumnLines, bool OpenTop, bool OpenBottom, List<(TableCell? Cell, bool FromAbove)[]> Rows)
    : PdfBlock(Page, Y)
{
    /// <summary>For a table without ruling lines: where its first value column starts (null for a ruled table).</summary>
    public double? ValuesLeft { get; init; }
}

/// <summary>Lines of words at the top of a page that may be the rest of the labels of a table a page break cut.</summary>
internal sealed record LeadingLines(int Page, double Y, List<TextBlock> Lines, List<Word> Words) : PdfBlock(Page, Y);

/// <summary>
/// One page as blocks in reading order: the running text line by line, top to bottom, each ruled table as its rows
/// of cells, and the tables printed without lines found in the running text (<see cref="UnruledTables"/>) likewise. A cell's text is its letters line by line; Chinese runs on across a line break, Latin letters and digits
/// run on only where the line was full (a number wrapped in a narrow column), else a space keeps them apart.
/// </summary>
internal static class PageLayout
{
    public static List<PdfBlock> Read(Page page, Func<int, bool> cells, UnruledTables.Headings headings, ImportBudget budget, out int letters)
    {
        var number = page.Number;
        var glyphs = new List<Glyph>(page.Letters.Count);
        foreach (var letter in page.Letters)
        {
            budget.Step();
            if (Glyph.From(letter) is { } glyph)
            {
                glyphs.Add(glyph);
            }
        }
        letters = glyphs.Count;
        var tables = RuledTable.Find(Rulings.Of(page.Paths, budget), cells, budget);
        var free = new List<Glyph>();
        foreach (var glyph in glyphs)
        {
            budget.Step();
            if (!tables.Any(t => t.Take(glyph)))
            {
                free.Add(glyph);
            }
        }
        return UnruledTables.Blocks(Glyph.Group(free, budget), number, headings, budget)
            .Concat(tables.Select(t => Rows(t, number, budget)))
            .OrderByDescending(b => b.Y)
            .ToList();
    }

    private static TableBlock Rows(RuledTable table, int page, ImportBudget budget)
    {
        var regions = table.Glyphs.Select((g, i) => new TableCell(CellText(g, table.Right[i], budget))).ToArray();
        var started = new HashSet<int>();
        var rows = new List<(TableCell?, bool)[]>();
        for (var r = 0; r < table.Rows; r++)
        {
            var row = new (TableCell?, bool)[table.Columns];
            for (var c = 0; c < table.Columns; c++)
            {
                budget.Step();
                var region = table.RegionAt(r, c);
                var spannedFromLeft = c > 0 && table.RegionAt(r, c - 1) == region;
                row[c] = spannedFromLeft ? (null, false) : (regions[region], !started.Add(region));
            }
            rows.Add(row);
        }
        return new TableBlock(page, table.Top, table.ColumnLines, table.OpenTop, table.OpenBottom, rows);
    }

    private static string CellText(List<Glyph> glyphs, double right, ImportBudget budget)
    {
        var lines = Glyph.Lines(glyphs, budget);
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Text;
            if (text.Length > 0 && char.IsAsciiLetterOrDigit(text[^1]) && line.Length > 0 && char.IsAsciiLetterOrDigit(line[0])
                && !(lines[i - 1].End + lines[i].FirstAdvance > right))
            {
                text.Append(' ');
            }
            text.Append(line);
        }
        return text.ToString().Trim();
    }
}
