using Aggregator.Api.Features.Reports;
using Aggregator.Api.Features.Reports.SubmitReport;
using Aggregator.Api.Infrastructure;
using Aggregator.Domain;
using Aggregator.Importer;
using Mediator;

namespace Aggregator.Api.Features.Imports.ImportReport;

/// <summary>
/// Reads a published report (text or HTML) into the report document. With <paramref name="SubmitAs"/> the result is
/// also submitted as a revision, but only when no cell had to be left blank for want of certainty.
/// </summary>
public sealed record ImportReport(byte[] Body, string MediaType, string? Charset, SubmitTarget? SubmitAs) : ICommand<ImportedReport>;

/// <summary>Where an imported report goes: the agency, and the year (null: the year named in the title).</summary>
public sealed record SubmitTarget(string AgencyCode, int? Year);

/// <param name="Created">True when the submission created the report (its revision 1).</param>
public sealed record ImportedReport(ImportResponse Response, bool Created);

/// <summary>A diagnostic of the importer.</summary>
/// <param name="Path">The document path it concerns, or "" for the whole report.</param>
/// <param name="Reason">What happened, in words a reviewer can check against the source.</param>
/// <param name="Line">1-based line of the source, when known.</param>
/// <param name="Severity">info: a change of form; blocking: a published value could not be read and is blank.</param>
public sealed record ImportDiagnosticResponse(string Path, string Reason, int? Line, string Severity);

/// <summary>What the importer read off a published report, and the revision when it was submitted.</summary>
/// <param name="Agency">The agency as named in the report's title, when found.</param>
/// <param name="ProposedSector">The sector the agency's name points to (GET /api/v1/sectors), when one fits.</param>
/// <param name="Year">The report year named in the title, when found.</param>
/// <param name="Revision">The stored revision, when the import was submitted.</param>
public sealed record ImportResponse(
    string? Agency,
    string? ProposedSector,
    int? Year,
    ReportDocument Document,
    IReadOnlyList<ImportDiagnosticResponse> Diagnostics,
    IReadOnlyList<Finding> Findings,
    RevisionResponse? Revision);

/// <summary>The import read no report, or one that cannot be submitted as it is (→ 422 with the diagnostics).</summary>
public sealed class ImportRefusedException(string message, IReadOnlyList<ImportDiagnosticResponse> diagnostics) : Exception(message)
{
    public IReadOnlyList<ImportDiagnosticResponse> Diagnostics { get; } = diagnostics;
}

public sealed class ImportReportHandler(IMediator mediator) : ICommandHandler<ImportReport, ImportedReport>
{
    public async ValueTask<ImportedReport> Handle(ImportReport command, CancellationToken cancellationToken)
    {
        var result = ReportImporter.Import(command.Body, command.MediaType, command.Charset);
        var diagnostics = result.Diagnostics
            .Select(d => new ImportDiagnosticResponse(d.Path, d.Reason, d.Line, d.Severity == DiagnosticSeverity.Blocking ? "blocking" : "info"))
            .ToArray();
        if (result.Document is null)
        {
            throw new ImportRefusedException("No table of the annual report template was found in the text; it does not look like a 政府信息公开工作年度报告.", diagnostics);
        }
        var response = new ImportResponse(result.AgencyName, SectorCatalogue.Propose(result.AgencyName)?.Code, result.Year, result.Document, diagnostics, result.Findings, null);
        if (command.SubmitAs is not { } target)
        {
            return new ImportedReport(response, false);
        }
        var year = target.Year ?? result.Year ?? throw new InputException("year", "The report's title names no year; give it with year=….");
        if (result.HasBlockingDiagnostics)
        {
            throw new ImportRefusedException(
                "Some published values could not be read with certainty and were left blank; submitting would lose them. " +
                "Correct the document from the diagnostics and submit it with PUT /api/v1/agencies/{code}/reports/{year}.", diagnostics);
        }
        var submitted = await mediator.Send(new SubmitReport(target.AgencyCode, year, result.Document, null), cancellationToken);
        return new ImportedReport(response with { Revision = submitted.Revision }, submitted.Created);
    }
}
