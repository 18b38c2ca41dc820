using Aggregator.Api.Data;
using Aggregator.Api.Features.Shared;
using Aggregator.Api.Infrastructure.Csv;
using Aggregator.Domain;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Cells.ExportCells;

/// <summary>Every cell of the latest revision of every matching report, in long form; a page of them, or all as CSV.</summary>
/// <param name="Metric">Metric codes; repeat or comma-separate (none: every metric).</param>
public sealed record ExportCells(
    [FromQuery(Name = "division")] string? Division,
    [FromQuery(Name = "year")] int? Year,
    [FromQuery(Name = "metric")] string[]? Metric,
    [FromQuery(Name = "sector")] string? Sector,
    [FromQuery(Name = "page")] int? Page,
    [FromQuery(Name = "pageSize")] int? PageSize,
    [FromQuery(Name = "format")] string? Format,
    [FromQuery(Name = "labels")] string? Labels) : IQuery<Listing<CellRow>>, IExportable;

public sealed class ExportCellsValidator : AbstractValidator<ExportCells>
{
    public ExportCellsValidator()
    {
        RuleFor(q => q.Division).DivisionPrefix();
        RuleFor(q => q.Sector).SectorCode();
        RuleFor(q => q.Year).QueryYear();
        RuleFor(q => q.Metric).MetricCodes();
        Include(new ExportableValidator());
    }
}

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

public sealed class ExportCellsHandler(AggregatorDbContext db) : IQueryHandler<ExportCells, Listing<CellRow>>
{
    public async ValueTask<Listing<CellRow>> Handle(ExportCells query, CancellationToken cancellationToken)
    {
        var stored = await Listing<StoredCell>.Of(Cells(query), PageRequest.Of(query.Page, query.PageSize), query.Output().IsCsv, cancellationToken);
        return new Listing<CellRow>(
            stored.Page is { } page ? new Paged<CellRow>(page.Items.Select(c => c.ToRow()).ToArray(), page.Page, page.PageSize, page.Total) : null,
            stored.All?.Select(c => c.ToRow()));
    }

    /// <summary>The matching cells in a stable order: agency code, year, metric id, applicant column.</summary>
    private IQueryable<StoredCell> Cells(ExportCells query)
    {
        var reports = db.Reports.Within(ReportFilter.Of(query.Division, query.Sector, query.Year, query.Year));
        var cells = db.ReportCells.AsQueryable();
        var ids = QueryList.Items(query.Metric).Select(code => MetricCatalogue.Get(code).Id).ToArray();
        if (ids.Length > 0)
        {
            cells = cells.Where(c => ids.Contains(c.MetricId));
        }
        return from c in cells.AsNoTracking()
               join r in reports on new { c.AgencyId, c.Year } equals new { r.AgencyId, r.Year }
               orderby r.Agency.Code, r.Year, c.MetricId, c.Applicant
               select new StoredCell(r.Agency.Code, r.Agency.Name, r.Agency.DivisionCode, r.Year, r.CurrentRevision!.Edition, c.MetricId, c.Applicant, c.Value);
    }

    private sealed record StoredCell(string Agency, string AgencyName, string DivisionCode, int Year, string Edition, short MetricId, short Applicant, decimal? Value)
    {
        public CellRow ToRow()
        {
            var metric = MetricCatalogue.Find(MetricId)!;
            return new CellRow(Agency, AgencyName, DivisionCode, Year, Edition, metric.Code,
                metric.HasApplicants ? ((Applicant)Applicant).Key() : null, Value is { } value ? Numbers.Canonical(value) : null);
        }
    }
}

public static class ExportCellsEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/cells", async Task<Results<Ok<Paged<CellRow>>, CsvResult>> ([AsParameters] ExportCells query, IMediator mediator, CancellationToken cancellationToken) =>
            {
                var cells = await mediator.Send(query, cancellationToken);
                return cells.All is { } all
                    ? new CsvResult("cells.csv", CellRow.Columns, query.Output().Labels, all.Select(c => c.CsvFields()))
                    : TypedResults.Ok(cells.Page!);
            })
            .WithTags("Cells")
            .WithName("ExportCells")
            .WithSummary("Every cell of the latest revision of every report, in long form: one row per agency, year, metric and applicant column")
            .WithDescription("metric repeats (or takes a comma-separated list); division is a 2-, 4- or 6-digit prefix. JSON is paged; " +
                             "format=csv streams every matching cell (page and pageSize are ignored), labels=zh gives Chinese headers. " +
                             "A blank cell has value null (an empty CSV field), never 0.")
            .ProducesValidationProblem();
}
