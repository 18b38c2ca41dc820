using Aggregator.Domain;

namespace Aggregator.Importer;

/// <summary>How much a diagnostic matters to whoever submits the imported document.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The importer read the published value but changed its form (a unit converted, a note dropped).</summary>
    Info,

    /// <summary>
    /// A published value could not be read with certainty and was left blank, or a row or table was not found.
    /// Submitting the document as it is would lose published numbers.
    /// </summary>
    Blocking,
}

/// <summary>Something the importer met while reading a report.</summary>
/// <param name="Path">The document path it concerns (<c>applications.granted.total</c>, <c>proactive.fees.amount</c>), or "" for the whole report.</param>
/// <param name="Reason">What happened and why, in words a reviewer can check against the source.</param>
/// <param name="Line">
/// Where in the source it happened, when known: the 1-based line of a text, of the HTML source of a page, the page of a
/// PDF, the paragraph of a Word file (its paragraphs and table rows counted from 1 in document order).
/// </param>
/// <param name="Severity">Whether the document can be submitted as it is.</param>
public sealed record ImportDiagnostic(string Path, string Reason, int? Line, DiagnosticSeverity Severity);

/// <summary>
/// What the importer read off a published report: the document (null when the text holds no template table, or when
/// the input passed a limit and was not read), the agency and year from the title, the diagnostics and the consistency
/// findings of the document.
/// </summary>
public sealed record ImportResult
{
    /// <summary>The agency named in the report's title (乌苏市交通运输局), when found.</summary>
    public string? AgencyName { get; init; }

    /// <summary>The report year named in the title, when found.</summary>
    public int? Year { get; init; }

    /// <summary>
    /// The document read off the report: every cell either as published or blank. A cell that could not be read with
    /// certainty is blank and has a <see cref="DiagnosticSeverity.Blocking"/> diagnostic at its path.
    /// </summary>
    public ReportDocument? Document { get; init; }

    /// <summary>What the importer met: Info for changes of form, Blocking for cells left blank because they could not be read.</summary>
    public IReadOnlyList<ImportDiagnostic> Diagnostics { get; init; } = [];

    /// <summary><see cref="ConsistencyRules.Check"/> of <see cref="Document"/> (R1–R4): published arithmetic that does not hold.</summary>
    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>Set when the input passed a limit of <see cref="ImporterOptions"/> and was not read; then there is no document.</summary>
    public ImportRefusal? Refusal { get; init; }

    /// <summary>Set when the file could not be read at all (a scanned PDF, a password, a damaged file, Word's old .doc); then there is no document.</summary>
    public ImportUnreadable? Unreadable { get; init; }

    /// <summary>True when the text holds a report template table and <see cref="Document"/> was read.</summary>
    public bool IsReport => Document is not null;

    /// <summary>True when submitting <see cref="Document"/> would lose or misplace published content.</summary>
    public bool HasBlockingDiagnostics => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Blocking);
}
