using System.Text.Json;
using Aggregator.Api.Data;
using Aggregator.Api.Features.Shared;
using Aggregator.Api.Infrastructure.Csv;
using Aggregator.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Findings.ListFindings;

/// <summary>
/// The consistency findings (R1–R6) of the latest revision of every report that has any, in report order (agency
/// code, year), each with the cells its rule reads and their values as published; a page of reports, or every
/// finding as CSV.
/// </summary>
/// <param name="Rule">Only this rule's findings (R1–R6), and only the reports that have one.</param>
/// <param name="Page">A numbered page (from 1), counted with total; costs more the deeper it is. Without it the list is walked by cursor.</param>
/// <param name="Cursor">Where to continue: the next cursor of the page before (the Link header's rel="next" carries it), with the same filters.</param>
public sealed record ListFindings(
    [FromQuery(Name = "division")] string? Division,
    [FromQuery(Name = "sector")] string? Sector,
    [FromQuery(Name = "year")] int? Year,
    [FromQuery(Name = "rule")] string? Rule,
    [FromQuery(Name = "page")] int? Page,
    [FromQuery(Name = "pageSize")] int? PageSize,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "format")] string? Format,
    [FromQuery(Name = "labels")] string? Labels) : IQuery<Listing<ReportFindings>>, IExportable, IPagedQuery;

public sealed class ListFindingsValidator : AbstractValidator<ListFindings>
{
    public ListFindingsValidator()
    {
        RuleFor(q => q.Division).DivisionPrefix();
        RuleFor(q => q.Sector).SectorCode();
        RuleFor(q => q.Year).QueryYear();
        RuleFor(q => q.Rule).Must(r => r is null || ConsistencyRules.Rules.Contains(r))
            .WithMessage($"Must be one of {string.Join(", ", ConsistencyRules.Rules)}.");
        RuleFor(q => q.Cursor).PageCursor(ListFindingsHandler.Order);
        Include(new ExportableValidator());
    }
}

/// <summary>A cell a finding's rule reads: its document path and its value as published (null: blank).</summary>
public sealed record FindingCell(string Path, decimal? Value);

/// <summary>A finding, with the cells of the report its rule reads (R5 and R6 also read the previous year's report: see its own findings).</summary>
public sealed record ListedFinding(string Rule, FindingSeverity Severity, string Message, string Path, IReadOnlyList<FindingCell> Cells);

/// <summary>A report's latest revision and its findings.</summary>
public sealed record ReportFindings(
    string Agency, string AgencyName, string DivisionCode, string Sector, int Year, string Edition, int Revision, IReadOnlyList<ListedFinding> Findings)
{
    public static readonly IReadOnlyList<CsvColumn> Columns =
    [
        new("agency", "机关代码"), new("agencyName", "机关"), new("divisionCode", "区划代码"), new("sector", "行业"), new("year", "年度"),
        new("edition", "模板版本"), new("revision", "修订号"), new("rule", "规则"), new("severity", "级别"), new("path", "单元格"),
        new("message", "说明"), new("cells", "所涉单元格"),
    ];

    /// <summary>One CSV row per finding; the cells as "path=value" joined by "; " (blank for a blank cell).</summary>
    public IEnumerable<IEnumerable<string?>> CsvRows() => Findings.Select(f => (IEnumerable<string?>)
    [
        Agency, AgencyName, DivisionCode, Sector, CsvWriter.Format(Year), Edition, CsvWriter.Format(Revision), f.Rule,
        JsonNamingPolicy.CamelCase.ConvertName(f.Severity.ToString()), f.Path, f.Message,
        string.Join("; ", f.Cells.Select(c => $"{c.Path}={(c.Value is { } v ? CsvWriter.Format(v) : "")}")),
    ]);
}

public sealed class ListFindingsHandler(ReadDatabase reads) : IQueryHandler<ListFindings, Listing<ReportFindings>>
{
    private readonly AggregatorDbContext db = reads.Db; // lists read a standby when one is configured

    public async ValueTask<Listing<ReportFindings>> Handle(ListFindings query, CancellationToken cancellationToken) =>
        (await Listing<Stored>.Of(query.PageRequest(), Order(query), after => Reports(query, after), r => new ReportPosition(r.Agency, r.Year),
            query.Output().IsCsv, cancellationToken))
        .Map(stored => stored.Read(query.Rule));

    /// <summary>The list's order under the query's filters, which its cursors belong to.</summary>
    public static PageCursor<ReportPosition> Order(ListFindings query)
    {
        var filter = Filter(query);
        return new PageCursor<ReportPosition>("findings", filter.Division, filter.Sector, filter.YearFrom, query.Rule);
    }

    private static ReportFilter Filter(ListFindings query) => ReportFilter.Of(query.Division, query.Sector, query.Year, query.Year);

    /// <summary>The reports with findings (of the rule), by agency code and year, after <paramref name="after"/> when given, as the list of reports walks them.</summary>
    private IQueryable<Stored> Reports(ListFindings query, ReportPosition? after)
    {
        var reports = db.Reports.AsNoTracking().Within(Filter(query)).Where(r => r.CurrentRevision!.FindingCount > 0);
        if (query.Rule is { } rule)
        {
            var contained = JsonSerializer.Serialize(new[] { new { rule } });
            reports = reports.Where(r => EF.Functions.JsonContains(r.CurrentRevision!.Findings, contained));
        }
        return reports
            .InReportOrder(after)
            .Select(r => new Stored(r.Agency.Code, r.Agency.Name, r.Agency.DivisionCode, r.Agency.Sector, r.Year,
                r.CurrentRevision!.Edition, r.CurrentRevision.Number, r.CurrentRevision.Findings, r.CurrentRevision.Document))
            .TagWith("ListFindings");
    }

    /// <summary>A report's row as stored: its findings and its document as jsonb.</summary>
    private sealed record Stored(string Agency, string AgencyName, string DivisionCode, string Sector, int Year, string Edition, int Revision,
        string Findings, string Document)
    {
        public ReportFindings Read(string? rule)
        {
            var document = StoredJson.ReadDocument(Document);
            var findings = StoredJson.ReadFindings(Findings)
                .Where(f => rule is null || f.Rule == rule)
                .Select(f => new ListedFinding(f.Rule, f.Severity, f.Message, f.Path,
                    ConsistencyRules.CellsOf(f, document).Select(c => new FindingCell(c.Path, c.Value)).ToArray()))
                .ToArray();
            return new ReportFindings(Agency, AgencyName, DivisionCode, Sector, Year, Edition, Revision, findings);
        }
    }
}

public static class ListFindingsEndpoint
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/findings", Answer)
            .WithTags("Findings")
            .WithName("ListFindings")
            .WithSummary("List the consistency findings of the latest revision of every report that has any, with the cells each rule reads")
            .WithDescription("Reports in agency-code and year order, each with its findings (R1–R6) and, per finding, the cells of the report its rule " +
                             "reads and their values as published. JSON is paged by report: walked by cursor (next in the answer and the Link header), " +
                             "or by page number (counted). Every finding as CSV, one row each: GET /api/v1/findings.csv.")
            .ProducesValidationProblem();
        api.MapGet(CsvExport.PathOf("/findings"), ([AsParameters] ListFindings query, IMediator mediator, CancellationToken cancellationToken) =>
                Answer(query with { Format = "csv" }, mediator, cancellationToken))
            .WithTags("Findings")
            .AsCsvExport("ListFindingsCsv", "Every matching finding as CSV, one row each")
            .ProducesValidationProblem();
    }

    private static async Task<Results<Ok<Paged<ReportFindings>>, CsvResult>> Answer([AsParameters] ListFindings query, IMediator mediator, CancellationToken cancellationToken)
    {
        var listing = await mediator.Send(query, cancellationToken);
        return listing.All is { } all
            ? new CsvResult("findings.csv", ReportFindings.Columns, query.Output().Labels, all.SelectMany(r => r.CsvRows().ToAsyncEnumerable()))
            : TypedResults.Ok(listing.Page!);
    }
}
