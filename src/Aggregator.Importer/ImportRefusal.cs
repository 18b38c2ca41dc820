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

    /// <summary>The PDF has more pages than <see cref="ImporterOptions.MaxPdfPages"/>.</summary>
    Pages,

    /// <summary>
    /// The file expands past <see cref="ImporterOptions.MaxDecodedBytes"/> when decompressed, or a PDF page draws more
    /// than <see cref="ImporterOptions.MaxPageContentBytes"/> of content (a decompression bomb).
    /// </summary>
    DecodedBytes,
}

/// <summary>Why the importer stopped reading an input: the limit it passed, the limit's value and a sentence naming both.</summary>
/// <param name="Limit">The limit passed.</param>
/// <param name="Value">The limit's value: seconds for <see cref="ImportLimit.TimeBudget"/>, bytes for <see cref="ImportLimit.DecodedBytes"/>, else a count.</param>
/// <param name="Reason">What happened, naming the limit ("the import took longer than its budget of 2 s").</param>
public sealed record ImportRefusal(ImportLimit Limit, double Value, string Reason);

/// <summary>Thrown inside the importer when an input passes a limit; <see cref="ReportImporter"/> turns it into <see cref="ImportResult.Refusal"/>.</summary>
internal sealed class ImportLimitException(ImportRefusal refusal) : Exception(refusal.Reason)
{
    public ImportRefusal Refusal { get; } = refusal;
}

/// <summary>Why a file could not be read at all, whatever its content.</summary>
public enum UnreadableKind
{
    /// <summary>A PDF whose pages hold no text, only images (a scan): the importer does no OCR.</summary>
    NoTextLayer,

    /// <summary>A PDF that needs a password to open.</summary>
    Encrypted,

    /// <summary>A PDF or Word file whose structure cannot be read (truncated, corrupt, not what its media type says).</summary>
    Damaged,

    /// <summary>A format the importer does not read, such as Word's old binary .doc: the reason names what to send instead.</summary>
    UnsupportedFormat,
}

/// <summary>A file the importer could not read at all: what kind of problem, and a sentence naming it and what to send instead.</summary>
public sealed record ImportUnreadable(UnreadableKind Kind, string Reason);

/// <summary>Thrown inside the importer for a file it cannot read; <see cref="ReportImporter"/> turns it into <see cref="ImportResult.Unreadable"/>.</summary>
internal sealed class UnreadableFileException(UnreadableKind kind, string reason) : Exception(reason)
{
    public ImportUnreadable Unreadable { get; } = new(kind, reason);
}
