using System.Text.Json.Serialization;
using Aggregator.Api.Data;
using Aggregator.Api.Data.Divisions;
using Aggregator.Api.Features.Shared;
using Aggregator.Api.Infrastructure.Csv;
using Aggregator.Domain;
using FluentValidation;
using Mediator;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Completeness.GetCompleteness;

/// <summary>Who has reported for a year: per group, the agencies expected, submitted, missing, late and with findings.</summary>
/// <param name="GroupBy">province, prefecture, county or sector; repeat or comma-separate (none: one group).</param>
/// <param name="Division">A 2-, 4- or 6-digit GB/T 2260 prefix.</param>
public sealed record GetCompleteness(
    [FromQuery(Name = "year"), Required] int? Year,
    [FromQuery(Name = "groupBy")] string[]? GroupBy,
    [FromQuery(Name = "division")] string? Division,
    [FromQuery(Name = "sector")] string? Sector,
    [FromQuery(Name = "format")] string? Format,
    [FromQuery(Name = "labels")] string? Labels) : IQuery<CompletenessResponse>, IExportable
{
    public IReadOnlyList<Dimension> Groups() => Dimensions.Parse(QueryList.Items(GroupBy));
}

public sealed class GetCompletenessValidator : AbstractValidator<GetCompleteness>
{
    public GetCompletenessValidator()
    {
        RuleFor(q => q.Year).NotNull().WithMessage($"Name a report year from {ReportYears.First} to {ReportYears.QueryLimit}, e.g. year=2023.").QueryYear();
        RuleFor(q => q.GroupBy).DimensionKeys(Dimensions.Regional);
        RuleFor(q => q.Division).DivisionPrefix();
        RuleFor(q => q.Sector).SectorCode();
        Include(new ExportableValidator());
    }
}

public sealed record CompletenessResponse(int Year, IReadOnlyList<string> GroupBy, IReadOnlyList<CompletenessGroup> Groups);

public sealed record AgencyReference(string Code, string Name, string DivisionCode, string Sector);

/// <param name="Deadline">31 January (departments) or 31 March (people's governments) of the following year, Beijing time.</param>
/// <param name="SubmittedAt">When the first revision arrived.</param>
public sealed record LateReport(string Code, string Name, DateTimeOffset Deadline, DateTimeOffset SubmittedAt);

/// <summary>
/// One group. <c>expected</c> counts the registered agencies active in the year; <c>reportingRate</c> is
/// submitted / expected (null when none is expected), so "zero penalties" and "not reported" stay apart.
/// </summary>
public sealed record CompletenessGroup : RegionGroup
{
    public required int Expected { get; init; }
    public required int Submitted { get; init; }
    public required decimal? ReportingRate { get; init; }
    public required IReadOnlyList<AgencyReference> Missing { get; init; }
    public required IReadOnlyList<LateReport> Late { get; init; }
    /// <summary>Agencies whose current revision has consistency findings.</summary>
    public required IReadOnlyList<string> WithFindings { get; init; }
}

public sealed class GetCompletenessHandler(ReadDatabase reads) : IQueryHandler<GetCompleteness, CompletenessResponse>
{
    public async ValueTask<CompletenessResponse> Handle(GetCompleteness query, CancellationToken cancellationToken)
    {
        var db = reads.Db;
        var year = query.Year!.Value;
        var groupBy = query.Groups();
        var expected = await db.Agencies.AsNoTracking()
            .ActiveIn(year)
            .Within(ReportFilter.Of(query.Division, query.Sector))
            .OrderBy(a => a.Code)
            .Select(a => new
            {
                Agency = new AgencyReference(a.Code, a.Name, a.DivisionCode, a.Sector),
                Report = db.Reports.Where(r => r.AgencyId == a.Id && r.Year == year && r.CurrentRevisionNumber != null)
                    .Select(r => new { FirstSubmittedAt = r.FirstSubmittedAt!.Value, r.CurrentRevision!.FindingCount })
                    .FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        var groups = expected
            .GroupBy(e => string.Join("/", groupBy.Select(d => Key(d, e.Agency))))
            .Select(group =>
            {
                var first = group.First().Agency;
                var submitted = group.Where(e => e.Report is not null).ToArray();
                var late = submitted
                    .Select(e => new LateReport(e.Agency.Code, e.Agency.Name, ReportingDeadline.For(year, e.Agency.Sector), e.Report!.FirstSubmittedAt))
                    .Where(l => l.SubmittedAt > l.Deadline)
                    .ToArray();
                var count = group.Count();
                return Keyed(groupBy, first) with
                {
                    Expected = count,
                    Submitted = submitted.Length,
                    ReportingRate = count == 0 ? null : Math.Round((decimal)submitted.Length / count, 4),
                    Missing = group.Where(e => e.Report is null).Select(e => e.Agency).ToArray(),
                    Late = late,
                    WithFindings = submitted.Where(e => e.Report!.FindingCount > 0).Select(e => e.Agency.Code).ToArray(),
                };
            })
            .OrderBy(g => g.Province).ThenBy(g => g.Prefecture).ThenBy(g => g.County).ThenBy(g => g.Sector)
            .ToArray();
        return new CompletenessResponse(year, groupBy.Select(d => d.Key()).ToArray(), groups);
    }

    private static string Key(Dimension dimension, AgencyReference agency) => dimension switch
    {
        Dimension.Province => DivisionDirectory.Find(agency.DivisionCode)?.ProvinceCode ?? "",
        Dimension.Prefecture => DivisionDirectory.Find(agency.DivisionCode)?.PrefectureCode ?? "",
        Dimension.County => agency.DivisionCode,
        _ => agency.Sector,
    };

    private static CompletenessGroup Keyed(IReadOnlyList<Dimension> groupBy, AgencyReference agency)
    {
        var group = new CompletenessGroup { Expected = 0, Submitted = 0, ReportingRate = null, Missing = [], Late = [], WithFindings = [] };
        foreach (var dimension in groupBy)
        {
            var key = Key(dimension, agency);
            group = dimension switch
            {
                Dimension.Province => group with { Province = key },
                Dimension.Prefecture => group with { Prefecture = key },
                Dimension.County => group with { County = key },
                _ => group with { Sector = key },
            };
        }
        return RegionGroup.Named(group);
    }
}

public static class GetCompletenessEndpoint
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/completeness", Answer)
            .WithTags("Completeness")
            .WithName("GetCompleteness")
            .WithSummary("Who has reported for a year: expected, submitted, missing, late and with findings, per group")
            .WithDescription("groupBy: province, prefecture, county or sector (repeat or comma-separate; none: one group). " +
                             "The same as CSV: GET /api/v1/completeness.csv. Late means the first revision arrived after 31 January (departments) " +
                             "or 31 March (people's governments) of the following year, Beijing time.")
            .ProducesValidationProblem();
        api.MapGet(CsvExport.PathOf("/completeness"), ([AsParameters] GetCompleteness query, IMediator mediator, CancellationToken cancellationToken) =>
                Answer(query with { Format = "csv" }, mediator, cancellationToken))
            .WithTags("Completeness")
            .AsCsvExport("GetCompletenessCsv", "The same completeness as CSV")
            .ProducesValidationProblem();
    }

    private static async Task<Results<Ok<CompletenessResponse>, CsvResult>> Answer(
        [AsParameters] GetCompleteness query, IMediator mediator, CancellationToken cancellationToken)
    {
        var completeness = await mediator.Send(query, cancellationToken);
        var output = query.Output();
        return output.IsCsv ? CompletenessCsv.Result(query.Groups(), completeness, output.Labels) : TypedResults.Ok(completeness);
    }
}
