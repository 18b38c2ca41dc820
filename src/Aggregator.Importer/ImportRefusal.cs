namespace Aggregator.Importer;

/// <summary>A limit of <see cref="ImporterOptions"/> that an input can pass.</summary>
public enum ImportLimit
{
    /// <summary>The import took longer than <see cref="ImporterOptions.TimeBudget"/>.</summary>
    TimeBudget,

    /// <summary>The page nests elements deeper than <see cref="ImporterOptions.MaxNestingDepth"/>.</summary>
    NestingDepth,

    /// <summary>The page holds more table cells than <see cref="ImporterOptions.MaxTableCells"/>.</summary>
    TableCells,
}

/// <summary>Why the importer stopped reading an input: the limit it passed, the limit's value and a sentence naming both.</summary>
/// <param name="Limit">The limit passed.</param>
/// <param name="Value">The limit's value: seconds for <see cref="ImportLimit.TimeBudget"/>, else a count.</param>
/// <param name="Reason">What happened, naming the limit ("the import took longer than its budget of 2 s").</param>
public sealed record ImportRefusal(ImportLimit Limit, double Value, string Reason);

/// <summary>Thrown inside the importer when an input passes a limit; <see cref="ReportImporter"/> turns it into <see cref="ImportResult.Refusal"/>.</summary>
internal sealed class ImportLimitException(ImportRefusal refusal) : Exception(refusal.Reason)
{
    public ImportRefusal Refusal { get; } = refusal;
}
