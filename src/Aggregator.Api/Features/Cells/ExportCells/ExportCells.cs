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
/// <param name="Page">A numbered page (from 1), counted with total; costs more the deeper it is. Without it the list is walked by cursor.</param>
/// <param name="Cursor">Where to continue: the next cursor of the page before (the Link header's rel="next" carries it), with the same filters.</param>
public sealed record ExportCells(
    [FromQuery(Name = "division")] string? Division,
    [FromQuery(Name = "year")] int? Year,
    [FromQuery(Name = "metric")] string[]? Metric,
    [FromQuery(Name = "sector")] string? Sector,
    [FromQuery(Name = "page")] int? Page,
    [FromQuery(Name = "pageSize")] int? PageSize,
    [FromQuery(Name = "cursor")] string? Cursor,
    [FromQuery(Name = "format")] string? Format,
    [FromQuery(Name = "labels")] string? Labels) : IQuery<Listing<CellRow>>, IExportable, IPagedQuery;

public sealed class ExportCellsValidator : AbstractValidator<ExportCells>
{
    public ExportCellsValidator()
    {
        RuleFor(q => q.Division).DivisionPrefix();
        RuleFor(q => q.Sector).SectorCode();
        RuleFor(q => q.Year).QueryYear();
        RuleFor(q => q.Metric).MetricCodes();
        RuleFor(q => q.Cursor).PageCursor(ExportCellsHandler.Order);
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

public sealed class ExportCellsHandler(ReadDatabase reads) : IQueryHandler<ExportCells, Listing<CellRow>>
{
    private readonly AggregatorDbContext db = reads.Db; // lists read a standby when one is configured

    public async ValueTask<Listing<CellRow>> Handle(ExportCells query, CancellationToken cancellationToken)
    {
        var stored = await Listing<StoredCell>.Of(query.PageRequest(), Order(query), after => Cells(query, after), c => c.Key,
            query.Output().IsCsv, cancellationToken);
        return stored.Map(c => c.ToRow());
    }

    /// <summary>The list's order under the query's filters, which its cursors belong to.</summary>
    public static PageCursor<CellPosition> Order(ExportCells query)
    {
        var filter = Filter(query);
        return new PageCursor<CellPosition>("cells", filter.Division, filter.Sector, filter.YearFrom, MetricIds(query));
    }

    private static ReportFilter Filter(ExportCells query) => ReportFilter.Of(query.Division, query.Sector, query.Year, query.Year);

    /// <summary>The metrics asked for; an unknown code is left out here (the validator refuses it, also while checking a cursor).</summary>
    private static short[] MetricIds(ExportCells query) =>
        QueryList.Items(query.Metric).Select(MetricCatalogue.Find).OfType<Metric>().Select(m => m.Id).Distinct().Order().ToArray();

    /// <summary>
    /// The matching cells in a stable order: agency code, year, metric id, applicant column (unique: the code is an
    /// agency's, and the rest is the cell's key); after <paramref name="after"/> when given. The agencies' code index
    /// gives the order of agencies and the range after the cursor's code; each agency's cells come from the cells' key.
    /// </summary>
    private IQueryable<StoredCell> Cells(ExportCells query, CellPosition? after)
    {
        var reports = db.Reports.Within(Filter(query));
        var cells = db.ReportCells.AsNoTracking();
        var ids = MetricIds(query);
        if (ids.Length > 0)
        {
            cells = cells.Where(c => ids.Contains(c.MetricId));
        }
        var rows = cells.Join(reports, c => new { c.AgencyId, c.Year }, r => new { r.AgencyId, r.Year }, (c, r) => new { Cell = c, Report = r });
        if (after is not null)
        {
            // The row comparison is the keyset condition; the code alone is what the agencies' index takes as a range.
            rows = rows.Where(x => string.Compare(x.Report.Agency.Code, after.Agency) >= 0
                                   && EF.Functions.GreaterThan(
                                       ValueTuple.Create(x.Report.Agency.Code, x.Cell.Year, x.Cell.MetricId, x.Cell.Applicant),
                                       ValueTuple.Create(after.Agency, after.Year, after.MetricId, after.Applicant)));
        }
        return rows
            .OrderBy(x => x.Report.Agency.Code).ThenBy(x => x.Report.Year).ThenBy(x => x.Cell.MetricId).ThenBy(x => x.Cell.Applicant)
            .Select(x => new StoredCell(x.Report.Agency.Code, x.Report.Agency.Name, x.Report.Agency.DivisionCode, x.Report.Year,
                x.Report.CurrentRevision!.Edition, x.Cell.MetricId, x.Cell.Applicant, x.Cell.Value))
            .TagWith("ExportCells");
    }

    private sealed record StoredCell(string Agency, string AgencyName, string DivisionCode, int Year, string Edition, short MetricId, short Applicant, decimal? Value)
    {
        public CellPosition Key => new(Agency, Year, MetricId, Applicant);

        public CellRow ToRow()
        {
            var metric = MetricCatalogue.Find(MetricId)!;
            return new CellRow(Agency, AgencyName, DivisionCode, Year, Edition, metric.Code,
                metric.HasApplicants ? ((Applicant)Applicant).Key() : null, Value is { } value ? Numbers.Canonical(value) : null);
        }
    }
}

/// <summary>Where a walk through the cells is: the last cell's agency code, year, metric id and applicant column.</summary>
public sealed record CellPosition(string Agency, int Year, short MetricId, short Applicant) : ICursorKey<CellPosition>
{
    public void Write(CursorWriter writer) => writer.Add(Agency).Add(Year).Add(MetricId).Add(Applicant);

    public static CellPosition Read(ref CursorReader reader) => new(reader.String(), reader.Int32(), reader.Int16(), reader.Int16());
}

public static class ExportCellsEndpoint
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/cells", Answer)
            .WithTags("Cells")
            .WithName("ExportCells")
            .WithSummary("Every cell of the latest revision of every report, in long form: one row per agency, year, metric and applicant column")
            .WithDescription("metric repeats (or takes a comma-separated list); division is a 2-, 4- or 6-digit prefix. JSON is paged: " +
                             "walked by cursor (next in the answer and the Link header; any page costs the same), or by page number (counted, " +
                             "costs more the deeper it is). Every matching cell as CSV: GET /api/v1/cells.csv. " +
                             "A blank cell has value null (an empty CSV field), never 0.")
            .ProducesValidationProblem();
        api.MapGet(CsvExport.PathOf("/cells"), ([AsParameters] ExportCells query, IMediator mediator, CancellationToken cancellationToken) =>
                Answer(query with { Format = "csv" }, mediator, cancellationToken))
            .WithTags("Cells")
            .AsCsvExport("ExportCellsCsv", "Every matching cell as CSV")
            .ProducesValidationProblem();
    }

    private static async Task<Results<Ok<Paged<CellRow>>, CsvResult>> Answer([AsParameters] ExportCells query, IMediator mediator, CancellationToken cancellationToken)
    {
        var cells = await mediator.Send(query, cancellationToken);
        return cells.All is { } all
            ? new CsvResult("cells.csv", CellRow.Columns, query.Output().Labels, all.Select(c => c.CsvFields()))
            : TypedResults.Ok(cells.Page!);
    }
}
