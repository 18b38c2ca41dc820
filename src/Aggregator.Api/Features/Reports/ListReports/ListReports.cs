using Aggregator.Api.Data;
using Aggregator.Api.Features.Shared;
using Aggregator.Api.Infrastructure.Csv;
using Aggregator.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Reports.ListReports;

/// <summary>The latest revision of every report that matches, in list order (agency code, year); a page, or all as CSV.</summary>
/// <param name="Edition">2019 or 2021.</param>
/// <param name="HasFindings">true: only reports whose latest revision breaks a consistency rule; false: only those that break none.</param>
/// <param name="Page">A numbered page (from 1), counted with total; costs more the deeper it is. Without it the list is walked by cursor.</param>
/// <param name="Cursor">Where to continue: the next cursor of the page before (the Link header's rel="next" carries it), with the same filters.</param>
public sealed record ListReports(
    [FromQuery(Name = "division")] string? Division,
    [FromQuery(Name = "sector")] string? Sector,
    [FromQuery(Name = "year")] int? Year,
    [FromQuery(Name = "edition")] string? Edition,
    [FromQuery(Name = "hasFindings")] bool? HasFindings,
    [FromQuery(Name = "page")] int? Page,
    [FromQuery(Name = "pageSize")] int? PageSize,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "format")] string? Format,
    [FromQuery(Name = "labels")] string? Labels) : IQuery<Listing<ReportSummary>>, IExportable, IPagedQuery;

public sealed class ListReportsValidator : AbstractValidator<ListReports>
{
    public ListReportsValidator()
    {
        RuleFor(q => q.Division).DivisionPrefix();
        RuleFor(q => q.Sector).SectorCode();
        RuleFor(q => q.Year).QueryYear();
        RuleFor(q => q.Edition).Must(e => e is null || Editions.TryParse(e, out _)).WithMessage("Must be 2019 or 2021.");
        RuleFor(q => q.Cursor).PageCursor(ListReportsHandler.Order);
        Include(new ExportableValidator());
    }
}

public sealed record ReportSummary(
    string Agency, string AgencyName, string DivisionCode, string Sector, int Year, string Edition,
    int Revision, DateTimeOffset SubmittedAt, string ContentHash, int FindingCount)
{
    public static readonly IReadOnlyList<CsvColumn> Columns =
    [
        new("agency", "机关代码"), new("agencyName", "机关"), new("divisionCode", "区划代码"), new("sector", "行业"), new("year", "年度"),
        new("edition", "模板版本"), new("revision", "修订号"), new("submittedAt", "提交时间"), new("contentHash", "内容哈希"),
        new("findingCount", "勾稽问题数"),
    ];

    public IEnumerable<string?> CsvFields() =>
    [
        Agency, AgencyName, DivisionCode, Sector, CsvWriter.Format(Year), Edition, CsvWriter.Format(Revision), CsvWriter.Format(SubmittedAt),
        ContentHash, CsvWriter.Format(FindingCount),
    ];
}

public sealed class ListReportsHandler(ReadDatabase reads) : IQueryHandler<ListReports, Listing<ReportSummary>>
{
    private readonly AggregatorDbContext db = reads.Db; // lists read a standby when one is configured

    public async ValueTask<Listing<ReportSummary>> Handle(ListReports query, CancellationToken cancellationToken) =>
        await Listing<ReportSummary>.Of(query.PageRequest(), Order(query), after => Summaries(query, after), r => new ReportPosition(r.Agency, r.Year),
            query.Output().IsCsv, cancellationToken);

    /// <summary>The list's order under the query's filters, which its cursors belong to.</summary>
    public static PageCursor<ReportPosition> Order(ListReports query)
    {
        var filter = Filter(query);
        return new PageCursor<ReportPosition>("reports", filter.Division, filter.Sector, filter.YearFrom, query.Edition, query.HasFindings);
    }

    private static ReportFilter Filter(ListReports query) => ReportFilter.Of(query.Division, query.Sector, query.Year, query.Year);

    /// <summary>The matching reports by agency code and year (unique), after <paramref name="after"/> when given (<see cref="ReportOrder"/>).</summary>
    private IQueryable<ReportSummary> Summaries(ListReports query, ReportPosition? after)
    {
        var reports = db.Reports.AsNoTracking().Within(Filter(query));
        if (query.Edition is { } edition)
        {
            reports = reports.Where(r => r.CurrentRevision!.Edition == edition);
        }
        if (query.HasFindings is { } hasFindings)
        {
            reports = hasFindings ? reports.Where(r => r.CurrentRevision!.FindingCount > 0) : reports.Where(r => r.CurrentRevision!.FindingCount == 0);
        }
        return reports
            .InReportOrder(after)
            .Select(r => new ReportSummary(r.Agency.Code, r.Agency.Name, r.Agency.DivisionCode, r.Agency.Sector, r.Year,
                r.CurrentRevision!.Edition, r.CurrentRevision.Number, r.CurrentRevision.SubmittedAt, r.CurrentRevision.ContentHash,
                r.CurrentRevision.FindingCount))
            .TagWith("ListReports");
    }
}

public static class ListReportsEndpoint
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/reports", Answer)
            .WithTags("Reports")
            .WithName("ListReports")
            .WithSummary("List the latest revision of every report, filtered and paged")
            .WithDescription("JSON is paged: walked by cursor (next in the answer and the Link header; any page costs the same), or by page " +
                             "number (counted, costs more the deeper it is). Every matching report as CSV: GET /api/v1/reports.csv.")
            .ProducesValidationProblem();
        api.MapGet(CsvExport.PathOf("/reports"), ([AsParameters] ListReports query, IMediator mediator, CancellationToken cancellationToken) =>
                Answer(query with { Format = "csv" }, mediator, cancellationToken))
            .WithTags("Reports")
            .AsCsvExport("ListReportsCsv", "Every matching report as CSV")
            .ProducesValidationProblem();
    }

    private static async Task<Results<Ok<Paged<ReportSummary>>, CsvResult>> Answer([AsParameters] ListReports query, IMediator mediator, CancellationToken cancellationToken)
    {
        var listing = await mediator.Send(query, cancellationToken);
        return listing.All is { } all
            ? new CsvResult("reports.csv", ReportSummary.Columns, query.Output().Labels, all.Select(r => r.CsvFields()))
            : TypedResults.Ok(listing.Page!);
    }
}
