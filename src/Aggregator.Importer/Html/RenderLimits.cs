namespace Aggregator.Importer.Html;

/// <summary>
/// The limits the renderer keeps while it walks a parsed page: the time budget, how deep it descends (the recursion
/// must stay far from the end of the stack, whatever the slimmer's count of the tags missed) and the table cells of
/// the grid, spanned positions included.
/// </summary>
internal sealed class RenderLimits(ImportBudget budget)
{
    private int depth;
    private int cells;

    public ImportBudget Budget { get; } = budget;

    /// <summary>How deep the parsed page may nest: twice the tag count's limit, since that count leaves out tr, td and the like.</summary>
    private int MaxDepth => 2 * Budget.Options.MaxNestingDepth;

    public void Enter()
    {
        Budget.Step();
        if (++depth > MaxDepth)
        {
            throw ImportBudget.TooDeep(Budget.Options.MaxNestingDepth);
        }
    }

    public void Leave() => depth--;

    /// <summary>One position of a table's grid: a cell, or a column a cell from the row above spans down into.</summary>
    public void Cell()
    {
        Budget.Step();
        if (++cells > Budget.Options.MaxTableCells)
        {
            throw ImportBudget.TooManyCells(Budget.Options.MaxTableCells);
        }
    }
}
