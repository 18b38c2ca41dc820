using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Csv;
using Aggregator.Domain;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Cells.ExportCells;

/// <summary>
/// One cell of the latest revision of a report, in long form. <c>applicant</c> is the part 三 column, null for a metric
/// without the applicant dimension; <c>value</c> is null when the published cell is blank.
/// </summary>
public sealed record CellRow(
    string Agency, string AgencyName, string DivisionCode, int Year, string Edition, string Metric, string? Applicant, decimal? Value)
{
    public static readonly IReadOnlyList<CsvColumn> Columns =
    [
        new("agency", "机关代码"), new("agencyName", "机关"), new("divisionCode", "区划代码"), new("year", "年度"), new("edition", "模板版本"),
        new("metric", "指标"), new("applicant", "申请人"), new("value", "数值"),
    ];

    public IEnumerable<string?> CsvFields() =>
        [Agency, AgencyName, DivisionCode, CsvWriter.Format(Year), Edition, Metric, Applicant, CsvWriter.Format(Value)];
}

public sealed record CellFilter(string? Division, string? Sector, int? Year, IReadOnlyList<Metric> Metrics)
{
    /// <summary>The matching cells in a stable order: agency code, year, metric id, applicant column.</summary>
    public IQueryable<StoredCell> Apply(AggregatorDbContext db)
    {
        var reports = db.Reports.Where(r => r.CurrentRevisionId != null);
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
        var cells = db.ReportCells.AsQueryable();
        if (Metrics.Count > 0)
        {
            var ids = Metrics.Select(m => m.Id).ToArray();
            cells = cells.Where(c => ids.Contains(c.MetricId));
        }
        return from c in cells.AsNoTracking()
               join r in reports on c.ReportId equals r.Id
               orderby r.Agency.Code, r.Year, c.MetricId, c.Applicant
               select new StoredCell(r.Agency.Code, r.Agency.Name, r.Agency.DivisionCode, r.Year, r.CurrentRevision!.Edition, c.MetricId, c.Applicant, c.Value);
    }
}

public sealed record StoredCell(string Agency, string AgencyName, string DivisionCode, int Year, string Edition, short MetricId, short Applicant, decimal? Value)
{
    public CellRow ToRow()
    {
        var metric = MetricCatalogue.Find(MetricId)!;
        return new CellRow(Agency, AgencyName, DivisionCode, Year, Edition, metric.Code,
            metric.HasApplicants ? ((Applicant)Applicant).Key() : null, Value is { } value ? Numbers.Canonical(value) : null);
    }
}

public sealed record ListCells(CellFilter Filter, PageRequest Page) : IQuery<Paged<CellRow>>;

/// <summary>Every matching cell, unpaged, read from the database as it is written out.</summary>
public sealed record ExportCells(CellFilter Filter) : IStreamQuery<CellRow>;

public sealed class ExportCellsHandler(AggregatorDbContext db) : IQueryHandler<ListCells, Paged<CellRow>>, IStreamQueryHandler<ExportCells, CellRow>
{
    public async ValueTask<Paged<CellRow>> Handle(ListCells query, CancellationToken cancellationToken)
    {
        var cells = query.Filter.Apply(db);
        var total = await cells.CountAsync(cancellationToken);
        var page = await cells.Skip(query.Page.Skip).Take(query.Page.PageSize).ToListAsync(cancellationToken);
        return new Paged<CellRow>(page.Select(c => c.ToRow()).ToArray(), query.Page.Page, query.Page.PageSize, total);
    }

    public IAsyncEnumerable<CellRow> Handle(ExportCells query, CancellationToken cancellationToken) =>
        query.Filter.Apply(db).AsAsyncEnumerable().Select(c => c.ToRow());
}

public static class ExportCellsEndpoint
{
    public static void MapCells(this IEndpointRouteBuilder api) =>
        api.MapGet("/cells", async Task<Results<Ok<Paged<CellRow>>, CsvResult, ValidationProblem>> (IMediator mediator, CancellationToken cancellationToken,
                string? division = null, int? year = null, string[]? metric = null, string? sector = null,
                int? page = null, int? pageSize = null, string? format = null, string? labels = null) =>
            {
                if (division is not null && !DivisionFilter.IsValid(division))
                {
                    return DivisionFilter.Problem();
                }
                var metrics = new List<Metric>();
                foreach (var code in QueryList.Items(metric))
                {
                    if (MetricCatalogue.Find(code) is not { } found)
                    {
                        return Infrastructure.Problem.Invalid("metric",
                            $"Unknown metric '{code}'. Valid metrics (GET /api/v1/metrics): {string.Join(", ", MetricCatalogue.All.Select(m => m.Code))}.");
                    }
                    metrics.Add(found);
                }
                if (Output.Parse(format, labels, out var invalid) is not { } output)
                {
                    return invalid!;
                }
                var filter = new CellFilter(division, string.IsNullOrEmpty(sector) ? null : sector, year, metrics);
                if (output.IsCsv)
                {
                    var rows = mediator.CreateStream(new ExportCells(filter), cancellationToken).Select(c => c.CsvFields());
                    return new CsvResult("cells.csv", CellRow.Columns, output.Labels, rows);
                }
                return TypedResults.Ok(await mediator.Send(new ListCells(filter, PageRequest.Of(page, pageSize)), cancellationToken));
            })
            .WithTags("Cells")
            .WithName("ExportCells")
            .WithSummary("Every cell of the latest revision of every report, in long form: one row per agency, year, metric and applicant column")
            .WithDescription("metric repeats (or takes a comma-separated list); division is a 2-, 4- or 6-digit prefix. JSON is paged; " +
                             "format=csv streams every matching cell (page and pageSize are ignored), labels=zh gives Chinese headers. " +
                             "A blank cell has value null (an empty CSV field), never 0.");
}
