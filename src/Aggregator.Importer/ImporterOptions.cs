namespace Aggregator.Importer;

/// <summary>The limits of one import: how long it may take and what shape of page it reads.</summary>
public sealed record ImporterOptions
{
    /// <summary>The options the importer uses when none are given.</summary>
    public static ImporterOptions Default { get; } = new();

    /// <summary>Wall time an import may take before it stops with <see cref="ImportLimit.TimeBudget"/>. Default 2 s.</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How deep elements of a page may nest (<see cref="ImportLimit.NestingDepth"/>). Default 256.</summary>
    public int MaxNestingDepth { get; init; } = 256;

    /// <summary>
    /// How many table cells a page may hold, counted on the grid rowspan and colspan make (<see cref="ImportLimit.TableCells"/>).
    /// Default 20,000.
    /// </summary>
    public int MaxTableCells { get; init; } = 20_000;

    /// <summary>The most rows a cell spans: a larger rowspan, or rowspan="0" (to the end of the table), counts as this. Default 100.</summary>
    public int MaxRowSpan { get; init; } = 100;

    /// <summary>The most columns a cell spans: a larger colspan counts as this. Default 100.</summary>
    public int MaxColumnSpan { get; init; } = 100;
}
