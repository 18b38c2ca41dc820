using Aggregator.Importer.Reading;
using Aggregator.Importer.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;

namespace Aggregator.Importer.Docx;

/// <summary>
/// Renders a Word file (.docx) as the text the report reader reads: the document's title, then the body in order,
/// each paragraph a line and each table in the cell layout the HTML renderer writes: one cell per tab-led line, an
/// empty line after each row, a cell spanning columns (gridSpan) written once, a cell merged down (vMerge) written in
/// the row where it starts and below it a blank for an empty cell, the merged marker for a number (never repeated),
/// nothing for words. A diagnostic's line is the paragraph: paragraphs and table rows counted from 1 in order.
/// Bounded: the zip is checked first (<see cref="ZipGuard"/>), the SDK reads a part of at most
/// <see cref="ImporterOptions.MaxDecodedBytes"/> characters, tables nest at most
/// <see cref="ImporterOptions.MaxNestingDepth"/> deep and hold at most <see cref="ImporterOptions.MaxTableCells"/>.
/// </summary>
internal sealed class DocxRenderer
{
    private readonly ImportBudget budget;
    private readonly LayoutText output = new();
    private int paragraph;
    private int cells;

    // The tables being read, outermost first: a nested table's text goes into the outer table's cell.
    private readonly List<TableState> tables = [];

    private DocxRenderer(ImportBudget budget) => this.budget = budget;

    public static SourceText Render(byte[] file, ImportBudget budget)
    {
        if (ImportFormats.Sniff(file) == ImportFormat.LegacyWord)
        {
            // An OLE2 file sent as .docx: Word 97-2003, or a .docx protected by a password (Word wraps those in OLE2).
            throw new UnreadableFileException(UnreadableKind.UnsupportedFormat,
                "This is not a .docx: it is a Word 97–2003 file (.doc) or a Word file protected by a password, which this service does not read. " +
                "Save it as a Word document (.docx) without a password, or export it as PDF, and send that.");
        }
        ZipGuard.Check(file, budget);
        var renderer = new DocxRenderer(budget);
        try
        {
            var settings = new OpenSettings { MaxCharactersInPart = budget.Options.MaxDecodedBytes, AutoSave = false };
            using var document = WordprocessingDocument.Open(new MemoryStream(file, writable: false), false, settings);
            if (document.PackageProperties.Title is { Length: > 0 } title)
            {
                renderer.output.Line(title.ReplaceLineEndings(" "), 1);
                renderer.output.BlankLine(1);
            }
            var part = document.MainDocumentPart ?? throw ZipGuard.Damaged("it has no document");
            using var reader = OpenXmlReader.Create(part);
            renderer.Read(reader);
        }
        catch (Exception e) when (e is not (ImportLimitException or OperationCanceledException or UnreadableFileException))
        {
            throw ZipGuard.Damaged($"{Shown(e.Message)}");
        }
        return SourceText.Create(renderer.output.Text, renderer.output.Pages);
    }

    private static string Shown(string message) => message.Length <= 160 ? message : message[..160] + "…";

    /// <summary>A table being read: the cell merged down over each grid column (and its text), the row and cell being read.</summary>
    private sealed class TableState
    {
        public Dictionary<int, string> MergedDown { get; } = [];

        public int Column { get; set; }

        public System.Text.StringBuilder? Cell { get; set; }

        public int Span { get; set; } = 1;

        public VerticalMerge? Merge { get; set; }
    }

    /// <summary>
    /// Reads the document part element by element (no tree of the whole document is built, so a huge table costs only
    /// the cells read before a limit stops it): a paragraph is loaded alone and written as a line, or into the cell
    /// being read; tables, rows and cells are followed by their start and end.
    /// </summary>
    private void Read(OpenXmlReader reader)
    {
        while (reader.Read())
        {
            budget.Step();
            var type = reader.ElementType;
            if (reader.IsStartElement)
            {
                if (type == typeof(Paragraph))
                {
                    Paragraph((Paragraph)reader.LoadCurrentElement()!);
                }
                else if (type == typeof(Table))
                {
                    if (tables.Count >= budget.Options.MaxNestingDepth)
                    {
                        throw ImportBudget.TooDeep(budget.Options.MaxNestingDepth);
                    }
                    if (tables.Count == 0)
                    {
                        output.BlankLine(paragraph);
                    }
                    tables.Add(new TableState());
                }
                else if (type == typeof(TableRow) && tables.Count > 0)
                {
                    tables[^1].Column = 0;
                    if (tables.Count == 1)
                    {
                        paragraph++;
                    }
                }
                else if (type == typeof(TableRowProperties) && tables.Count > 0)
                {
                    var before = ((TableRowProperties)reader.LoadCurrentElement()!).GetFirstChild<GridBefore>()?.Val?.Value ?? 0;
                    for (var i = 0; i < Math.Min(before, budget.Options.MaxColumnSpan); i++)
                    {
                        Cell();
                        if (tables.Count == 1)
                        {
                            output.Cell("", paragraph);
                        }
                        tables[^1].Column++;
                    }
                }
                else if (type == typeof(TableCell) && tables.Count > 0)
                {
                    Cell();
                    var table = tables[^1];
                    table.Cell = new System.Text.StringBuilder();
                    table.Span = 1;
                    table.Merge = null;
                }
                else if (type == typeof(TableCellProperties) && tables.Count > 0)
                {
                    var properties = (TableCellProperties)reader.LoadCurrentElement()!;
                    var table = tables[^1];
                    table.Span = Math.Clamp(properties.GridSpan?.Val?.Value ?? 1, 1, budget.Options.MaxColumnSpan);
                    table.Merge = properties.VerticalMerge;
                    for (var i = 1; i < table.Span; i++)
                    {
                        Cell();
                    }
                }
            }
            else if (reader.IsEndElement)
            {
                if (type == typeof(Table) && tables.Count > 0)
                {
                    tables.RemoveAt(tables.Count - 1);
                }
                else if (type == typeof(TableRow) && tables.Count == 1)
                {
                    budget.Check();
                    output.BlankLine(paragraph);
                }
                else if (type == typeof(TableCell) && tables.Count > 0)
                {
                    EndCell(tables[^1], tables.Count == 1);
                }
            }
        }
    }

    private void Paragraph(Paragraph p)
    {
        var text = ParagraphText(p);
        var cell = tables.Count > 0 ? tables[0].Cell : null;
        if (cell is null)
        {
            paragraph++;
            foreach (var part in text.Split('\n'))
            {
                output.Line(part, paragraph);
            }
            return;
        }
        // A cell's paragraphs (and a nested table's) joined as one line: Chinese runs on, a break between Latin
        // letters or digits is a space.
        var line = text.Replace('\n', ' ').Trim();
        if (cell.Length > 0 && line.Length > 0 && char.IsAsciiLetterOrDigit(cell[^1]) && char.IsAsciiLetterOrDigit(line[0]))
        {
            cell.Append(' ');
        }
        cell.Append(line);
    }

    private void EndCell(TableState table, bool write)
    {
        var column = table.Column;
        table.Column += table.Span;
        var text = table.Cell?.ToString().Trim() ?? "";
        if (tables.Count > 1)
        {
            return; // a nested table's cell: its text went into the outer cell
        }
        table.Cell = null;
        var merge = table.Merge;
        var continues = merge is not null && (merge.Val is null || merge.Val.Value == MergedCellValues.Continue);
        if (continues && table.MergedDown.TryGetValue(column, out var above))
        {
            if (above.Length == 0)
            {
                output.Cell("", paragraph);
            }
            else if (CellText.TryNumber(above) is not null)
            {
                output.Cell(CellText.MergedMarker.ToString(), paragraph);
            }
            return;
        }
        if (write)
        {
            output.Cell(text, paragraph);
        }
        if (merge is not null)
        {
            table.MergedDown[column] = text;
        }
        else
        {
            table.MergedDown.Remove(column);
        }
    }

    private void Cell()
    {
        if (++cells > budget.Options.MaxTableCells)
        {
            throw ImportBudget.TooManyFileCells("Word file", budget.Options.MaxTableCells);
        }
    }

    /// <summary>A paragraph's text: its runs' text (deleted text left out), a tab as a space, a line break as a new line.</summary>
    private string ParagraphText(Paragraph p)
    {
        var text = new System.Text.StringBuilder();
        foreach (var element in p.Descendants())
        {
            budget.Step();
            switch (element)
            {
                case WordText t:
                    text.Append(t.Text);
                    break;
                case TabChar or PositionalTab:
                    text.Append(' ');
                    break;
                case Break or CarriageReturn:
                    text.Append('\n');
                    break;
                case NoBreakHyphen:
                    text.Append('-');
                    break;
            }
        }
        return text.ToString();
    }
}
