using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using WordText = DocumentFormat.OpenXml.Wordprocessing.Text;

namespace Aggregator.Importer.Tests;

/// <summary>Writes small Word files with the Open XML SDK for shapes the fixtures lack: merged numbers, deep nesting, huge tables.</summary>
public sealed class DocxBuilder
{
    private readonly Body body = new();

    /// <summary>A cell of a built table: its text, how many grid columns it spans, and its vertical merge (restart, continue or none).</summary>
    public sealed record Cell(string Text, int Span = 1, MergedCellValues? Merge = null);

    public DocxBuilder Paragraph(string text)
    {
        body.Append(new Paragraph(new Run(new WordText(text) { Space = SpaceProcessingModeValues.Preserve })));
        return this;
    }

    public DocxBuilder Table(IEnumerable<IEnumerable<Cell>> rows)
    {
        body.Append(MakeTable(rows));
        return this;
    }

    /// <summary>A table of one cell holding a table of one cell … <paramref name="depth"/> deep, with a label inside.</summary>
    public DocxBuilder Nested(int depth)
    {
        OpenXmlElement inner = new Paragraph(new Run(new WordText("本年新收政府信息公开申请数量")));
        for (var i = 0; i < depth; i++)
        {
            inner = new Table(new TableRow(new TableCell(inner, new Paragraph())));
        }
        body.Append(inner);
        return this;
    }

    public static Table MakeTable(IEnumerable<IEnumerable<Cell>> rows) =>
        new(rows.Select(cells => new TableRow(cells.Select(cell =>
        {
            var properties = new TableCellProperties();
            if (cell.Span > 1)
            {
                properties.Append(new GridSpan { Val = cell.Span });
            }
            if (cell.Merge is { } merge)
            {
                properties.Append(new VerticalMerge { Val = merge });
            }
            return new TableCell(properties, new Paragraph(new Run(new WordText(cell.Text))));
        }))));

    public byte[] Build()
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            document.AddMainDocumentPart().Document = new Document((Body)body.CloneNode(true));
        }
        return stream.ToArray();
    }
}
