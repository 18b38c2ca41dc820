using Aggregator.Api.Features.Rollups.GetRollup;
using Aggregator.Api.Infrastructure.Csv;
using Mediator;

namespace Aggregator.Api.Features.Completeness.GetCompleteness;

public static class GetCompletenessEndpoint
{
    public static void MapCompleteness(this IEndpointRouteBuilder api) =>
        api.MapGet("/completeness", Handle)
            .WithTags("Completeness")
            .WithName("GetCompleteness")
            .WithSummary("Who has reported for a year: expected, submitted, missing, late and with findings, per group")
            .WithDescription("groupBy: province, prefecture, county or sector (repeat or comma-separate; none: one group). " +
                             "format=csv answers CSV (labels=zh: Chinese headers). Late means the first revision arrived after 31 January (departments) or 31 March (people's governments) of the following year, Beijing time.");

    private static async Task<Results<Ok<CompletenessResponse>, CsvResult, ValidationProblem>> Handle(
        IMediator mediator, CancellationToken cancellationToken, int? year = null, string[]? groupBy = null, string? division = null, string? sector = null,
        string? format = null, string? labels = null)
    {
        if (Output.Parse(format, labels, out var invalidOutput) is not { } output)
        {
            return invalidOutput!;
        }
        var errors = new Dictionary<string, string[]>();
        if (year is null or < Reports.SubmitReport.SubmitReportValidator.FirstYear or > YearRange.Last)
        {
            errors["year"] = [$"Name a report year from {Reports.SubmitReport.SubmitReportValidator.FirstYear} to {YearRange.Last}, e.g. year=2023."];
        }
        var dimensions = new List<RollupDimension>();
        foreach (var key in QueryList.Items(groupBy))
        {
            if (RollupDimensions.TryParse(key, out var dimension) && GetCompletenessHandler.Dimensions.Contains(dimension))
            {
                if (!dimensions.Contains(dimension))
                {
                    dimensions.Add(dimension);
                }
            }
            else
            {
                errors["groupBy"] = [$"Unknown dimension '{key}'. Valid: {string.Join(", ", GetCompletenessHandler.Dimensions.Select(d => d.Key()))}."];
            }
        }
        if (division is not null && !DivisionFilter.IsValid(division))
        {
            errors["division"] = [DivisionFilter.Message];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The completeness request is invalid.");
        }
        var query = new GetCompleteness(year!.Value, dimensions, division, string.IsNullOrEmpty(sector) ? null : sector);
        var completeness = await mediator.Send(query, cancellationToken);
        return output.IsCsv ? CompletenessCsv.Result(query, completeness, output.Labels) : TypedResults.Ok(completeness);
    }
}
