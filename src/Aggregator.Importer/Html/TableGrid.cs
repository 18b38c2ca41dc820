using AngleSharp.Html.Dom;

namespace Aggregator.Importer.Html;

/// <summary>
/// Lays a table out row by row on the grid rowspan and colspan make: each cell is written in the row where it starts;
/// in the rows a cell spans below, it is written as merged in its first column. A rowspan of 0 (to the end of the
/// table) or above <see cref="ImporterOptions.MaxRowSpan"/> counts as that cap, a colspan above
/// <see cref="ImporterOptions.MaxColumnSpan"/> as its cap, and every grid position counts towards the page's table cells.
/// </summary>
internal sealed class TableGrid(NodeRenderer renderer, RenderLimits limits)
{
    // Merged is what the cell writes in the rows below (null: nothing), worked out once however many rows it spans.
    private sealed record Span(IHtmlTableCellElement Cell, string? Merged, int FirstColumn, int FromRow, int ToRow);

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
        var options = limits.Budget.Options;
        var next = 0;
        for (var column = 0; next < own.Length || column < spans.Count; column++)
        {
            limits.Cell();
            Reach(column);
            if (spans[column] is { } span && span.FromRow < rowIndex && span.ToRow >= rowIndex)
            {
                if (span.FirstColumn == column && span.Merged is { } merged)
                {
                    renderer.WriteMerged(span.Cell, merged);
                }
                continue;
            }
            if (next == own.Length)
            {
                continue;
            }
            var cell = own[next++];
            var lines = renderer.WriteCell(cell);
            var width = Math.Clamp(cell.ColumnSpan, 1, options.MaxColumnSpan);
            var height = cell.RowSpan <= 0 ? options.MaxRowSpan : Math.Min(cell.RowSpan, options.MaxRowSpan);
            var spanning = height > 1 ? new Span(cell, NodeRenderer.Merged(lines), column, rowIndex, rowIndex + height - 1) : null;
            for (var c = column; c < column + width; c++)
            {
                if (c > column)
                {
                    limits.Cell();
                }
                Reach(c);
                spans[c] = spanning;
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
