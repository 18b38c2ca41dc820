using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Csv;
using Aggregator.Domain;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Reports.ListReports;

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

public sealed record ReportFilter(string? Division, string? Sector, int? Year, string? Edition, bool? HasFindings)
{
    /// <summary>The latest revision of every report that matches, in list order (agency code, year).</summary>
    public IQueryable<ReportSummary> Apply(AggregatorDbContext db)
    {
        var reports = db.Reports.AsNoTracking().Where(r => r.CurrentRevisionId != null);
        if (!string.IsNullOrEmpty(Division))
        {
            reports = reports.Where(r => r.Agency.DivisionCode.StartsWith(Division));
        }
        if (!string.IsNullOrEmpty(Sector))
        {
            reports = reports.Where(r => r.Agency.Sector == Sector);
        }
        if (Year is { } year)
        {
            reports = reports.Where(r => r.Year == year);
        }
        if (Edition is { } edition)
        {
            reports = reports.Where(r => r.CurrentRevision!.Edition == edition);
        }
        if (HasFindings is { } hasFindings)
        {
            reports = hasFindings ? reports.Where(r => r.CurrentRevision!.FindingCount > 0) : reports.Where(r => r.CurrentRevision!.FindingCount == 0);
        }
        return reports
            .OrderBy(r => r.Agency.Code).ThenBy(r => r.Year)
            .Select(r => new ReportSummary(r.Agency.Code, r.Agency.Name, r.Agency.DivisionCode, r.Agency.Sector, r.Year,
                r.CurrentRevision!.Edition, r.CurrentRevision.Number, r.CurrentRevision.SubmittedAt, r.CurrentRevision.ContentHash,
                r.CurrentRevision.FindingCount));
    }
}

public sealed record ListReports(ReportFilter Filter, PageRequest Page) : IQuery<Paged<ReportSummary>>;

/// <summary>Every report that matches, unpaged, read from the database as it is written out.</summary>
public sealed record ExportReports(ReportFilter Filter) : IStreamQuery<ReportSummary>;

public sealed class ListReportsHandler(AggregatorDbContext db) : IQueryHandler<ListReports, Paged<ReportSummary>>, IStreamQueryHandler<ExportReports, ReportSummary>
{
    public async ValueTask<Paged<ReportSummary>> Handle(ListReports query, CancellationToken cancellationToken)
    {
        var reports = query.Filter.Apply(db);
        var total = await reports.CountAsync(cancellationToken);
        var page = await reports.Skip(query.Page.Skip).Take(query.Page.PageSize).ToListAsync(cancellationToken);
        return new Paged<ReportSummary>(page, query.Page.Page, query.Page.PageSize, total);
    }

    public IAsyncEnumerable<ReportSummary> Handle(ExportReports query, CancellationToken cancellationToken) =>
        query.Filter.Apply(db).AsAsyncEnumerable();
}

public static class ListReportsEndpoint
{
    public static void MapListReports(this IEndpointRouteBuilder reports) =>
        reports.MapGet("/", async Task<Results<Ok<Paged<ReportSummary>>, CsvResult, ValidationProblem>> (IMediator mediator, CancellationToken cancellationToken,
                string? division = null, string? sector = null, int? year = null, string? edition = null, bool? hasFindings = null,
                int? page = null, int? pageSize = null, string? format = null, string? labels = null) =>
            {
                if (division is not null && !DivisionFilter.IsValid(division))
                {
                    return DivisionFilter.Problem();
                }
                if (edition is not null && !Editions.TryParse(edition, out _))
                {
                    return Infrastructure.Problem.Invalid("edition", "Must be 2019 or 2021.");
                }
                if (Output.Parse(format, labels, out var invalid) is not { } output)
                {
                    return invalid!;
                }
                var filter = new ReportFilter(division, sector, year, edition, hasFindings);
                if (output.IsCsv)
                {
                    var rows = mediator.CreateStream(new ExportReports(filter), cancellationToken).Select(r => r.CsvFields());
                    return new CsvResult("reports.csv", ReportSummary.Columns, output.Labels, rows);
                }
                return TypedResults.Ok(await mediator.Send(new ListReports(filter, PageRequest.Of(page, pageSize)), cancellationToken));
            })
            .WithName("ListReports")
            .WithSummary("List the latest revision of every report, filtered and paged")
            .WithDescription("format=csv streams every matching report (page and pageSize are ignored); labels=zh gives the CSV Chinese headers.");
}
