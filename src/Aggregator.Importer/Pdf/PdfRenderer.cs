using Aggregator.Importer.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Exceptions;

namespace Aggregator.Importer.Pdf;

/// <summary>
/// Renders a PDF with a text layer as the text the report reader reads (see <see cref="PageLayout"/>): the document's
/// title first, then every page in order; the line of a diagnostic is the page. Bounded: at most
/// <see cref="ImporterOptions.MaxPdfPages"/> pages, every decoded byte counted (<see cref="BoundedFilters"/>), each
/// page's drawing cost worked out before it is laid out (<see cref="PdfStructure"/>), the time budget checked between
/// pages and inside the loops; the table cells of all pages count towards <see cref="ImporterOptions.MaxTableCells"/>.
/// A PDF whose pages hold no letters (a scan) is unreadable: the importer does no OCR.
/// </summary>
internal static class PdfRenderer
{
    public static SourceText Render(byte[] pdf, ImportBudget budget)
    {
        var filters = new BoundedFilters(budget);
        var options = new ParsingOptions
        {
            UseLenientParsing = true,
            SkipMissingFonts = true,
            ClipPaths = false,
            FilterProvider = filters,
            MaxStackDepth = 64,
        };
        var document = Guarded(filters, "the file's structure", () => PdfDocument.Open(pdf, options));
        using (document)
        {
            var pageCount = Guarded(filters, "the file's structure", () => document.NumberOfPages);
            if (pageCount > budget.Options.MaxPdfPages)
            {
                throw ImportBudget.TooManyPages(pageCount, budget.Options.MaxPdfPages);
            }
            Guarded(filters, "the page tree", () =>
            {
                new PdfStructure(document, filters, budget).CheckPages();
                return 0;
            });
            var output = new LayoutText();
            var title = Guarded(filters, "the document information", () => document.Information.Title);
            if (!string.IsNullOrWhiteSpace(title))
            {
                output.Line(title.ReplaceLineEndings(" "), 1);
                output.BlankLine(1);
            }
            var cells = 0;
            bool Cells(int count)
            {
                cells += count;
                return cells <= budget.Options.MaxTableCells ? true : throw ImportBudget.TooManyFileCells("PDF", budget.Options.MaxTableCells);
            }
            var letters = 0;
            var images = 0;
            var blocks = new List<PdfBlock>();
            var headings = new UnruledTables.Headings();
            for (var number = 1; number <= pageCount; number++)
            {
                budget.Check();
                var n = number;
                blocks.AddRange(Guarded(filters, $"page {n}", () =>
                {
                    var page = document.GetPage(n);
                    filters.ThrowIfPassed();
                    images += page.NumberOfImages;
                    var read = PageLayout.Read(page, Cells, headings, budget, out var count);
                    letters += count;
                    return read;
                }));
                filters.ThrowIfPassed();
            }
            Write(Stitched(blocks, budget), output, budget);
            if (letters == 0)
            {
                throw new UnreadableFileException(UnreadableKind.NoTextLayer,
                    $"The PDF has no text layer: its {pageCount} page(s) hold {(images > 0 ? $"{images} image(s) and " : "")}no text, as a scan does. " +
                    "This service does not read text from images (no OCR): send a PDF exported from the word processor, the Word file, or the report's web page.");
            }
            return SourceText.Create(output.Text, output.Pages);
        }
    }

    // Lines between a table at the foot of a page and its continuation at the head of the next that are this short
    // are page furniture (a page number, a running title), moved after the table.
    private const int FurnitureLength = 40;
    private const double SameColumnLine = 2.0;

    /// <summary>
    /// The blocks with every row that a page break cut joined again: when the last table of a page has no line below
    /// its last row and the first table of the next page no line above its first row, with the same column lines,
    /// the second goes on from the first and its first row is the rest of that last row (a label or a cell cut by
    /// the break), so their cells are joined. A page break between rows draws the line between them on one side.
    /// </summary>
    private static List<PdfBlock> Stitched(List<PdfBlock> blocks, ImportBudget budget)
    {
        var stitched = new List<PdfBlock>();
        for (var i = 0; i < blocks.Count; i++)
        {
            budget.Step();
            if (blocks[i] is LeadingLines leading)
            {
                if (!(LastTable(stitched, leading.Page) is { } last && stitched[last] is TableBlock table && Continued(table, leading, budget)))
                {
                    stitched.AddRange(leading.Lines);
                }
                continue;
            }
            if (blocks[i] is not TableBlock { OpenTop: true } next || LastTable(stitched, next.Page) is not { } at
                || stitched[at] is not TableBlock { OpenBottom: true } previous || !SameColumns(previous, next))
            {
                stitched.Add(blocks[i]);
                continue;
            }
            var furniture = stitched.GetRange(at + 1, stitched.Count - at - 1);
            stitched.RemoveRange(at + 1, furniture.Count);
            Join(previous, next);
            stitched.AddRange(furniture);
        }
        return stitched;
    }

    /// <summary>The last table of the page before <paramref name="page"/>, when only short lines follow it; else null.</summary>
    private static int? LastTable(List<PdfBlock> stitched, int page)
    {
        for (var i = stitched.Count - 1; i >= 0; i--)
        {
            switch (stitched[i])
            {
                case TableBlock table:
                    return table.Page == page - 1 ? i : null;
                case TextBlock text when text.Text.Length <= FurnitureLength && text.Page >= page - 1:
                    continue;
                default:
                    return null;
            }
        }
        return null;
    }

    private static bool SameColumns(TableBlock previous, TableBlock next)
    {
        if (previous.ColumnLines.Count != next.ColumnLines.Count || previous.Rows.Count == 0 || next.Rows.Count == 0)
        {
            return false;
        }
        for (var c = 0; c < previous.ColumnLines.Count; c++)
        {
            if (Math.Abs(previous.ColumnLines[c] - next.ColumnLines[c]) > SameColumnLine)
            {
                return false;
            }
        }
        var last = previous.Rows[^1];
        var first = next.Rows[0];
        return last.Zip(first).All(pair => (pair.First.Cell is null) == (pair.Second.Cell is null));
    }

    /// <summary>Joins the first row of <paramref name="next"/> to the last row of <paramref name="previous"/>, and appends its other rows.</summary>
    private static void Join(TableBlock previous, TableBlock next)
    {
        var last = previous.Rows[^1];
        var first = next.Rows[0];
        var same = new Dictionary<TableCell, TableCell>();
        for (var c = 0; c < last.Length; c++)
        {
            if (last[c].Cell is { } above && first[c].Cell is { } below)
            {
                above.Text = JoinText(above.Text, below.Text);
                same[below] = above;
            }
        }
        foreach (var row in next.Rows.Skip(1))
        {
            for (var c = 0; c < row.Length; c++)
            {
                if (row[c].Cell is { } cell && same.TryGetValue(cell, out var joined))
                {
                    row[c] = (joined, true);
                }
            }
            previous.Rows.Add(row);
        }
    }

    /// <summary>
    /// Lines of words at the top of a page that finish the labels of the last row of a table without ruling lines on
    /// the page before (a row a page break cut): each group of them goes to the label cell it is printed under. False,
    /// and nothing changed, when the words reach the table's values or a group fits no label cell, or more than one.
    /// </summary>
    private static bool Continued(TableBlock table, LeadingLines leading, ImportBudget budget)
    {
        if (table is not { ValuesLeft: { } valuesLeft } || table.Rows.Count == 0 || leading.Words.Any(w => w.Right >= valuesLeft))
        {
            return false;
        }
        var labels = table.Rows[^1].Select(c => c.Cell).OfType<TableCell>().Where(c => !double.IsNaN(c.Left)).ToList();
        var rest = UnruledTables.LabelCells(leading.Words, budget);
        var cells = rest.Select(r => labels.Where(l => r.Left <= l.Right && r.Right >= l.Left).ToList() is [var only] ? only : null).ToList();
        if (cells.Any(c => c is null))
        {
            return false;
        }
        for (var k = 0; k < rest.Count; k++)
        {
            cells[k]!.Text = JoinText(cells[k]!.Text, rest[k].Text);
        }
        return true;
    }

    private static string JoinText(string above, string below) =>
        above.Length > 0 && below.Length > 0 && char.IsAsciiLetterOrDigit(above[^1]) && char.IsAsciiLetterOrDigit(below[0]) ? above + " " + below : above + below;

    /// <summary>
    /// Writes the blocks: text lines as they are; each table as the cell layout, a cell where it starts, and in the
    /// rows it spans below a blank for an empty cell, the merged marker for a number (never repeated), nothing for words.
    /// </summary>
    private static void Write(List<PdfBlock> blocks, LayoutText output, ImportBudget budget)
    {
        foreach (var block in blocks)
        {
            if (block is TextBlock text)
            {
                output.Line(text.Text, text.Page);
                continue;
            }
            var table = (TableBlock)block;
            output.BlankLine(table.Page);
            foreach (var row in table.Rows)
            {
                foreach (var (cell, fromAbove) in row)
                {
                    budget.Step();
                    if (cell is null)
                    {
                        continue;
                    }
                    if (!fromAbove)
                    {
                        output.Cell(cell.Text, table.Page);
                    }
                    else if (cell.Text.Length == 0)
                    {
                        output.Cell("", table.Page);
                    }
                    else if (Reading.CellText.TryNumber(cell.Text) is not null)
                    {
                        output.Cell(Reading.CellText.MergedMarker.ToString(), table.Page);
                    }
                }
                output.BlankLine(table.Page);
            }
        }
    }

    /// <summary>Runs PdfPig: a limit passed inside it is thrown again, anything else it throws makes the file damaged or encrypted.</summary>
    private static T Guarded<T>(BoundedFilters filters, string part, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not (ImportLimitException or OperationCanceledException or UnreadableFileException))
        {
            filters.ThrowIfPassed();
            if (e is PdfDocumentEncryptedException)
            {
                throw new UnreadableFileException(UnreadableKind.Encrypted,
                    "The PDF is encrypted and needs a password to open. Send it without the password (print or export it again), or send the Word file or the report's web page.");
            }
            throw new UnreadableFileException(UnreadableKind.Damaged,
                $"The PDF cannot be read: {part} is damaged ({Shown(e.Message)}). Save or export it again and send the new file.");
        }
    }

    private static string Shown(string message) => message.Length <= 160 ? message : message[..160] + "…";
}
