using Aggregator.Api.Infrastructure.Csv;
using Aggregator.Domain;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aggregator.Api.Features.Rollups.GetRollup;

public static class GetRollupEndpoint
{
    public static void MapRollups(this IEndpointRouteBuilder api) =>
        api.MapGet("/rollups", Handle)
            .WithTags("Rollups")
            .WithName("GetRollup")
            .WithSummary("Sum metrics over the latest revision of every report, grouped")
            .WithDescription("metric and groupBy repeat (or take comma-separated lists). groupBy: province, prefecture, county, agency, sector, year, applicant. " +
                             "division filters by a 2-, 4- or 6-digit prefix; applicant picks the column of part 三 metrics (default total). " +
                             "compare=previousYear adds to each row the same group's values one year earlier (previous) and the change; it needs year in groupBy " +
                             "or a single year (yearFrom = yearTo). format=csv answers CSV (labels=zh: Chinese headers).");

    private static async Task<Results<Ok<RollupResponse>, CsvResult, ValidationProblem>> Handle(
        IMediator mediator, CancellationToken cancellationToken,
        string[]? metric = null, string[]? groupBy = null, string? division = null, string? sector = null,
        int? yearFrom = null, int? yearTo = null, string? applicant = null, string? compare = null,
        string? format = null, string? labels = null)
    {
        if (Output.Parse(format, labels, out var invalidOutput) is not { } output)
        {
            return invalidOutput!;
        }

        var errors = new Dictionary<string, string[]>();
        var metrics = new List<Metric>();
        foreach (var code in QueryList.Items(metric))
        {
            if (MetricCatalogue.Find(code) is { } found)
            {
                if (!metrics.Contains(found))
                {
                    metrics.Add(found);
                }
            }
            else
            {
                errors["metric"] = [$"Unknown metric '{code}'. Valid metrics (GET /api/v1/metrics): {string.Join(", ", MetricCatalogue.All.Select(m => m.Code))}."];
            }
        }
        if (metrics.Count == 0 && !errors.ContainsKey("metric"))
        {
            errors["metric"] = ["Name at least one metric, e.g. metric=proactive.penalty.decisions. See GET /api/v1/metrics."];
        }

        var dimensions = new List<RollupDimension>();
        foreach (var key in QueryList.Items(groupBy))
        {
            if (!RollupDimensions.TryParse(key, out var dimension))
            {
                errors["groupBy"] = [$"Unknown dimension '{key}'. Valid: {string.Join(", ", RollupDimensions.All.Select(d => d.Key()))}."];
            }
            else if (!dimensions.Contains(dimension))
            {
                dimensions.Add(dimension);
            }
        }

        Applicant? column = null;
        if (applicant is not null)
        {
            if (Applicants.TryParse(applicant, out var parsed))
            {
                column = parsed;
            }
            else
            {
                errors["applicant"] = [$"Unknown applicant column '{applicant}'. Valid: {string.Join(", ", Applicants.All.Select(a => a.Key()))}."];
            }
        }
        var byApplicant = dimensions.Contains(RollupDimension.Applicant) || column is not null and not Applicant.Total;
        if (byApplicant && metrics.FirstOrDefault(m => !m.HasApplicants) is { } flat)
        {
            errors["applicant"] = [$"Metric '{flat.Code}' has no applicant dimension; only part 三 (applications.*) metrics split by applicant."];
        }
        if (division is not null && !DivisionFilter.IsValid(division))
        {
            errors["division"] = [DivisionFilter.Message];
        }
        foreach (var (name, value) in new[] { ("yearFrom", yearFrom), ("yearTo", yearTo) })
        {
            if (value is < Reports.SubmitReport.SubmitReportValidator.FirstYear or > YearRange.Last)
            {
                errors[name] = [$"Must be a report year from {Reports.SubmitReport.SubmitReportValidator.FirstYear} to {YearRange.Last}; got {value}."];
            }
        }
        if (yearFrom > yearTo)
        {
            errors["yearFrom"] = [$"yearFrom {yearFrom} is after yearTo {yearTo}."];
        }
        RollupComparison? comparison = null;
        if (compare is not null)
        {
            if (compare != "previousYear")
            {
                errors["compare"] = [$"Unknown comparison '{compare}'. Valid: previousYear."];
            }
            else if (!dimensions.Contains(RollupDimension.Year) && (yearFrom is null || yearFrom != yearTo))
            {
                errors["compare"] = ["compare=previousYear compares each group with the same group a year earlier, so each group must be one year: " +
                                     "add year to groupBy, or pick a single year with yearFrom = yearTo."];
            }
            else
            {
                comparison = RollupComparison.PreviousYear;
            }
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The rollup request is invalid.");
        }

        IReadOnlyList<Applicant> columns = column is { } one ? [one]
            : dimensions.Contains(RollupDimension.Applicant) ? Applicants.All
            : [Applicant.Total];
        var query = new GetRollup(metrics, dimensions, division, string.IsNullOrEmpty(sector) ? null : sector, yearFrom, yearTo, columns, comparison);
        var rollup = await mediator.Send(query, cancellationToken);
        if (output.IsCsv)
        {
            return RollupCsv.Result(query, rollup, output.Labels);
        }
        return TypedResults.Ok(rollup);
    }
}
