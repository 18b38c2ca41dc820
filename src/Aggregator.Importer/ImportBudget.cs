using System.Diagnostics;

namespace Aggregator.Importer;

/// <summary>
/// The wall time and cancellation of one import. The importer checks it between pieces of work; every piece is linear
/// in its input, so no piece runs long past the budget.
/// </summary>
internal sealed class ImportBudget(ImporterOptions options, CancellationToken cancellationToken)
{
    // Hot loops check the clock once in this many steps.
    private const int StepsPerCheck = 1024;

    private readonly long started = Stopwatch.GetTimestamp();
    private int steps;

    public ImporterOptions Options { get; } = options;

    /// <summary>Throws when the import was cancelled or has used its time.</summary>
    public void Check()
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Options.TimeBudget != Timeout.InfiniteTimeSpan && Stopwatch.GetElapsedTime(started) > Options.TimeBudget)
        {
            throw new ImportLimitException(new ImportRefusal(ImportLimit.TimeBudget, Options.TimeBudget.TotalSeconds,
                $"The import took longer than its budget of {Options.TimeBudget.TotalSeconds:0.###} s (time budget)."));
        }
    }

    /// <summary>One step of a hot loop: checks every <see cref="StepsPerCheck"/> steps.</summary>
    public void Step()
    {
        if (++steps % StepsPerCheck == 0)
        {
            Check();
        }
    }

    public static ImportLimitException TooDeep(int limit) => new(new ImportRefusal(ImportLimit.NestingDepth, limit,
        $"The page nests elements more than {limit} levels deep (nesting depth limit {limit})."));

    public static ImportLimitException TooManyPages(int pages, int limit) => new(new ImportRefusal(ImportLimit.Pages, limit,
        $"The PDF has {pages:N0} pages, more than the {limit:N0} it may have (page limit {limit:N0})."));

    public static ImportLimitException TooMuchDecoded(long limit) => new(new ImportRefusal(ImportLimit.DecodedBytes, limit,
        $"The file expands to more than {Mebibytes(limit)} when decompressed (decoded bytes limit {Mebibytes(limit)}): it looks like a decompression bomb."));

    public static ImportLimitException TooMuchPageContent(int page, long limit) => new(new ImportRefusal(ImportLimit.DecodedBytes, limit,
        $"Page {page} of the PDF draws more than {Mebibytes(limit)} of content, counting forms drawn inside one another each time (page content limit {Mebibytes(limit)})."));

    public static ImportLimitException TooMuchPageText(int page, long limit) => new(new ImportRefusal(ImportLimit.DecodedBytes, limit,
        $"Page {page} of the PDF shows more than {Mebibytes(limit)} of text, counting forms drawn inside one another each time (page text limit {Mebibytes(limit)}); a page of a report shows a few KB."));

    private static string Mebibytes(long bytes) =>
        bytes % (1 << 20) == 0 ? $"{bytes >> 20} MiB" : bytes % (1 << 10) == 0 ? $"{bytes >> 10} KiB" : $"{bytes:N0} bytes";

    public static ImportLimitException TooManyCells(int limit) => new(new ImportRefusal(ImportLimit.TableCells, limit,
        $"The page holds more than {limit:N0} table cells, counted on the grid rowspan and colspan make (table cells limit {limit:N0})."));

    public static ImportLimitException TooManyFileCells(string file, int limit) => new(new ImportRefusal(ImportLimit.TableCells, limit,
        $"The {file} holds more than {limit:N0} table cells, counted on the grid its merged cells make (table cells limit {limit:N0})."));
}
