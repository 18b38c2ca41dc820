using AngleSharp.Html.Dom;

namespace Aggregator.Importer.Html;

/// <summary>
/// Lays a table out row by row on the grid rowspan and colspan make: each cell is written in the row where it starts;
/// in the rows a cell spans below, it is written as merged in its first column.
/// </summary>
internal sealed class TableGrid(NodeRenderer renderer)
{
    private sealed record Span(IHtmlTableCellElement Cell, int FirstColumn, int FromRow, int ToRow);

    // The cell spanning down over each column, if any.
    private readonly List<Span?> spans = [];

    public void Render(IHtmlTableElement table)
    {
        renderer.BlankLine();
        var rowIndex = 0;
        foreach (var row in table.Rows)
        {
            RenderRow(row.Cells.ToArray(), rowIndex++);
            renderer.BlankLine();
        }
    }

    private void RenderRow(IHtmlTableCellElement[] own, int rowIndex)
    {
        var next = 0;
        for (var column = 0; next < own.Length || column < spans.Count; column++)
        {
            Reach(column);
            if (spans[column] is { } span && span.FromRow < rowIndex && span.ToRow >= rowIndex)
            {
                if (span.FirstColumn == column)
                {
                    renderer.WriteMerged(span.Cell);
                }
                continue;
            }
            if (next == own.Length)
            {
                continue;
            }
            var cell = own[next++];
            renderer.WriteCell(cell);
            var width = Math.Max(1, cell.ColumnSpan);
            var height = cell.RowSpan <= 0 ? int.MaxValue / 2 : cell.RowSpan;
            for (var c = column; c < column + width; c++)
            {
                Reach(c);
                spans[c] = height > 1 ? new Span(cell, column, rowIndex, rowIndex + height - 1) : null;
            }
            column += width - 1;
        }
    }

    private void Reach(int column)
    {
        while (spans.Count <= column)
        {
            spans.Add(null);
        }
    }
}
