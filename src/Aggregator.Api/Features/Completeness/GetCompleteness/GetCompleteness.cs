using System.Text.Json.Serialization;
using Aggregator.Api.Data;
using Aggregator.Api.Data.Divisions;
using Aggregator.Api.Features.Rollups.GetRollup;
using Aggregator.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Completeness.GetCompleteness;

/// <summary>Who has reported for a year: per group, the agencies expected, submitted, missing, late and with findings.</summary>
public sealed record GetCompleteness(int Year, IReadOnlyList<RollupDimension> GroupBy, string? Division, string? Sector)
    : IQuery<CompletenessResponse>;

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

public sealed class GetCompletenessHandler(AggregatorDbContext db) : IQueryHandler<GetCompleteness, CompletenessResponse>
{
    public static readonly IReadOnlyList<RollupDimension> Dimensions =
        [RollupDimension.Province, RollupDimension.Prefecture, RollupDimension.County, RollupDimension.Sector];

    public async ValueTask<CompletenessResponse> Handle(GetCompleteness query, CancellationToken cancellationToken)
    {
        var year = query.Year;
        var agencies = db.Agencies.AsNoTracking()
            .Where(a => (a.ActiveFrom == null || a.ActiveFrom <= year) && (a.ActiveTo == null || a.ActiveTo >= year));
        if (query.Division is { } division)
        {
            agencies = agencies.Where(a => a.DivisionCode.StartsWith(division));
        }
        if (query.Sector is { } sector)
        {
            agencies = agencies.Where(a => a.Sector == sector);
        }
        var expected = await agencies
            .OrderBy(a => a.Code)
            .Select(a => new
            {
                Agency = new AgencyReference(a.Code, a.Name, a.DivisionCode, a.Sector),
                Report = db.Reports.Where(r => r.AgencyId == a.Id && r.Year == year && r.CurrentRevisionId != null)
                    .Select(r => new { FirstSubmittedAt = r.Revisions.Min(v => v.SubmittedAt), r.CurrentRevision!.FindingCount })
                    .FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);

        var groups = expected
            .GroupBy(e => string.Join("/", query.GroupBy.Select(d => Key(d, e.Agency))))
            .Select(group =>
            {
                var first = group.First().Agency;
                var submitted = group.Where(e => e.Report is not null).ToArray();
                var late = submitted
                    .Select(e => new LateReport(e.Agency.Code, e.Agency.Name, ReportingDeadline.For(year, e.Agency.Sector), e.Report!.FirstSubmittedAt))
                    .Where(l => l.SubmittedAt > l.Deadline)
                    .ToArray();
                var count = group.Count();
                return Keyed(query.GroupBy, first) with
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
        return new CompletenessResponse(year, query.GroupBy.Select(RollupDimensions.Key).ToArray(), groups);
    }

    private static string Key(RollupDimension dimension, AgencyReference agency) => dimension switch
    {
        RollupDimension.Province => DivisionDirectory.Find(agency.DivisionCode)?.ProvinceCode ?? "",
        RollupDimension.Prefecture => DivisionDirectory.Find(agency.DivisionCode)?.PrefectureCode ?? "",
        RollupDimension.County => agency.DivisionCode,
        _ => agency.Sector,
    };

    private static CompletenessGroup Keyed(IReadOnlyList<RollupDimension> groupBy, AgencyReference agency)
    {
        var group = new CompletenessGroup { Expected = 0, Submitted = 0, ReportingRate = null, Missing = [], Late = [], WithFindings = [] };
        foreach (var dimension in groupBy)
        {
            var key = Key(dimension, agency);
            group = dimension switch
            {
                RollupDimension.Province => group with { Province = key },
                RollupDimension.Prefecture => group with { Prefecture = key },
                RollupDimension.County => group with { County = key },
                _ => group with { Sector = key },
            };
        }
        return RegionGroup.Named(group);
    }
}
