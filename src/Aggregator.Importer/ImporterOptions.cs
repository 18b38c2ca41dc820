namespace Aggregator.Importer;

/// <summary>The limits of one import: how long it may take and what shape of page it reads.</summary>
public sealed record ImporterOptions
{
    /// <summary>The options the importer uses when none are given.</summary>
    /// <remarks>Settable inside the importer's assemblies only: the importer's tests read with a longer budget (see ImporterTestOptions).</remarks>
    public static ImporterOptions Default { get; internal set; } = new();

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

    /// <summary>How many pages a PDF may have (<see cref="ImportLimit.Pages"/>). Default 100: reports run to 5–30 pages.</summary>
    public int MaxPdfPages { get; init; } = 100;

    /// <summary>
    /// How many bytes the compressed parts of a PDF or Word file may expand to, all together (<see cref="ImportLimit.DecodedBytes"/>).
    /// Default 64 MiB.
    /// </summary>
    public long MaxDecodedBytes { get; init; } = 64L << 20;

    /// <summary>
    /// How many bytes of content one PDF page may draw, its forms drawn inside one another counted each time they are
    /// drawn (<see cref="ImportLimit.DecodedBytes"/>): what a page costs to lay out. Default 1 MiB (the published
    /// reports' pages draw 10–50 KB).
    /// </summary>
    public long MaxPageContentBytes { get; init; } = 1L << 20;

    /// <summary>
    /// How many bytes of text (the strings a page shows, counted each time a form shows them) one PDF page may hold
    /// (<see cref="ImportLimit.DecodedBytes"/>): each is at most one letter to lay out. Default 32 KiB (the published
    /// reports' pages show 1–4 KB: two bytes a Chinese character).
    /// </summary>
    public long MaxPageTextBytes { get; init; } = 32L << 10;
}
