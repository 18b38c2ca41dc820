using Aggregator.Api.Data;
using Aggregator.Api.Features.Shared;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Api.Infrastructure.Audit;
using Aggregator.Api.Infrastructure.OpenApi;
using Aggregator.Api.Infrastructure.Problems;
using Aggregator.Domain;
using Aggregator.Importer;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aggregator.Api.Features.Imports.ImportReport;

/// <summary>
/// Reads a published report (text, HTML, PDF or Word) into the report document. With <paramref name="Submit"/> the result is
/// also stored as a revision of <paramref name="Agency"/>'s report for <paramref name="Year"/> (default: the year in
/// the title), but only when no cell had to be left blank for want of certainty.
/// </summary>
public sealed record ImportReport(PublishedReport Report, string? Agency, int? Year, bool Submit) : ICommand<ImportResponse>;

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
/// <param name="Submission">When submitted: created (the report's first revision), revised (a new revision) or unchanged (the same document again).</param>
public sealed record ImportResponse(
    string? Agency,
    string? ProposedSector,
    int? Year,
    ReportDocument Document,
    IReadOnlyList<ImportDiagnosticResponse> Diagnostics,
    IReadOnlyList<Finding> Findings,
    RevisionResponse? Revision,
    SubmissionOutcome? Submission) : IAuditSubject
{
    int? IAuditSubject.AuditYear => Revision?.Year;
    int? IAuditSubject.AuditRevision => Revision?.Revision;
}

public sealed class ImportReportValidator : AbstractValidator<ImportReport>
{
    public ImportReportValidator()
    {
        RuleFor(c => c.Agency).NotEmpty().When(c => c.Submit).WithMessage("submit=true needs the code of the agency to submit for (agency=…).");
        RuleFor(c => c.Year).QueryYear();
    }
}

public sealed class ImportReportHandler(AggregatorDbContext db, RevisionStore revisions, AccessControl access, AuditTrail audit, TimeProvider clock,
    IOptions<AggregatorOptions> options) : ICommandHandler<ImportReport, ImportResponse>
{
    private const string Refused = "The report could not be imported as it is.";

    public async ValueTask<ImportResponse> Handle(ImportReport command, CancellationToken cancellationToken)
    {
        ImportResult result;
        try
        {
            result = ReportImporter.Import(command.Report.Body, command.Report.MediaType, command.Report.Charset, options.Value.Importer, cancellationToken);
        }
        catch (NotSupportedException e)
        {
            // A page whose <meta charset> names an encoding .NET does not read (utf-7).
            throw new UnsupportedMediaTypeException($"The page names a charset this service does not read ({e.Message}); send it as UTF-8 or GB18030.");
        }
        if (result.Refusal is { } passed)
        {
            var limit = new Dictionary<string, object?> { ["limit"] = LimitName(passed.Limit), ["limitValue"] = passed.Value };
            // More cells, pages or decoded bytes than the limits is a file too large to read; a time budget or depth
            // passed is content that cannot be read as it is.
            throw passed.Limit is ImportLimit.TableCells or ImportLimit.Pages or ImportLimit.DecodedBytes
                ? new PayloadTooLargeException(passed.Reason, limit)
                : new UnprocessableException(Refused, passed.Reason, limit);
        }
        if (result.Unreadable is { } unreadable)
        {
            // Word 97-2003 is a format not read (415); a scan, a password or a damaged file is content that cannot be read (422).
            throw unreadable.Kind == UnreadableKind.UnsupportedFormat
                ? new UnsupportedMediaTypeException(unreadable.Reason)
                : new UnprocessableException(Refused, unreadable.Reason, new Dictionary<string, object?> { ["unreadable"] = UnreadableName(unreadable.Kind) });
        }
        var diagnostics = result.Diagnostics
            .Select(d => new ImportDiagnosticResponse(d.Path, d.Reason, d.Line, d.Severity == DiagnosticSeverity.Blocking ? "blocking" : "info"))
            .ToArray();
        if (result.Document is null)
        {
            throw new UnprocessableException(Refused,
                "No table of the annual report template was found in the text; it does not look like a 政府信息公开工作年度报告.", Diagnosed(diagnostics));
        }
        var response = new ImportResponse(result.AgencyName, SectorCatalogue.Propose(result.AgencyName)?.Code, result.Year, result.Document,
            diagnostics, result.Findings, null, null);
        if (!command.Submit)
        {
            return response;
        }
        var year = command.Year ?? result.Year ?? throw new InputException("year", "The report's title names no year; give it with year=….");
        if (result.HasBlockingDiagnostics)
        {
            throw new UnprocessableException(Refused,
                "Some published values could not be read with certainty and were left blank; submitting would lose them. " +
                "Correct the document from the diagnostics and submit it with PUT /api/v1/agencies/{code}/reports/{year}.", Diagnosed(diagnostics));
        }
        if (ReportYears.Refusal(year, clock.GetUtcNow()) is { } refusal)
        {
            throw new InputException("year", refusal);
        }
        var agency = await db.Agencies.AsNoTracking().SingleOrDefaultAsync(a => a.Code == command.Agency, cancellationToken)
                     ?? throw new NotFoundException($"No agency with code '{command.Agency}'. Register it first (POST /api/v1/agencies).");
        await access.DemandAsync(new AgencyResource(agency.Code, agency.DivisionCode), Operations.WriteReports);
        var stored = await revisions.StoreAsync(agency, year, result.Document, null, audit.ForAcceptedWrite(agency.Code, year), cancellationToken);
        return response with { Revision = RevisionResponse.From(agency.Code, year, stored.Revision), Submission = stored.Outcome };
    }

    private static string LimitName(ImportLimit limit) => limit switch
    {
        ImportLimit.TimeBudget => "timeBudget",
        ImportLimit.NestingDepth => "nestingDepth",
        ImportLimit.Pages => "pages",
        ImportLimit.DecodedBytes => "decodedBytes",
        _ => "tableCells",
    };

    private static string UnreadableName(UnreadableKind kind) => kind switch
    {
        UnreadableKind.NoTextLayer => "noTextLayer",
        UnreadableKind.Encrypted => "encrypted",
        _ => "damaged",
    };

    private static Dictionary<string, object?> Diagnosed(IReadOnlyList<ImportDiagnosticResponse> diagnostics) => new() { ["diagnostics"] = diagnostics };
}

public static class ImportReportEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/imports", async Task<Results<Ok<ImportResponse>, Created<ImportResponse>>> (
                PublishedReport body, string? agency, int? year, bool? submit, HttpContext context, IMediator mediator) =>
            {
                // The client's going away stops the import: nothing is left running for a request no one waits for.
                var imported = await mediator.Send(new ImportReport(body, agency, year, submit == true), context.RequestAborted);
                var response = context.Response;
                if (imported.Revision is not { } revision)
                {
                    return TypedResults.Ok(imported);
                }
                response.Headers.ETag = revision.ETag;
                return imported.Submission == SubmissionOutcome.Created
                    ? TypedResults.Created($"/api/v1/agencies/{Uri.EscapeDataString(revision.Agency)}/reports/{revision.Year}", imported)
                    : TypedResults.Ok(imported);
            })
            .WithTags("Imports")
            .WithName("ImportReport")
            .WithSummary("Read a published report (text, HTML, PDF or Word) into the report document; optionally submit it")
            .WithDescription("Body: the report as text/plain or text/html (UTF-8, or GB18030/GBK/GB2312 named by the charset parameter or a <meta charset>; " +
                             "at most 5 MiB), application/pdf (with a text layer; a scan is 422) or the .docx media type (at most 20 MiB), or as the field " +
                             "'file' of a multipart/form-data form. Word 97-2003 (.doc) is 415. " +
                             "Nothing is stored unless submit=true, which needs agency and year (year defaults to the one in the title) and the API key; " +
                             "a result with blocking diagnostics is then refused with 422.")
            .WithMetadata(new ImportBodyMetadata(PublishedReport.AcceptedMediaTypes))
            .Audited("ImportReport", IsSubmission)
            .RequireAuthorization(Policies.KeyToSubmit)
            .LimitedAsImport()
            .ProducesValidationProblem()
            .ProducesProblem(401)
            .ProducesProblem(403)
            .ProducesProblem(404)
            .ProducesProblem(413)
            .ProducesProblem(415)
            .ProducesProblem(422);

    /// <summary>Any submit=true makes a call a submission, also one that repeats the parameter (then refused with 400, on record).</summary>
    private static bool IsSubmission(HttpRequest request) => request.Query["submit"].Any(value => bool.TryParse(value, out var submit) && submit);
}
