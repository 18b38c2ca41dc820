using Aggregator.Api.Features.Shared;
using Aggregator.Api.Infrastructure.Caching;
using Aggregator.Api.Infrastructure.Csv;
using Aggregator.Domain;
using FluentValidation;
using Mediator;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;

namespace Aggregator.Api.Features.Rollups.GetRollup;

/// <summary>Sums of metrics over the latest revision of every report that matches the filters, per group.</summary>
/// <param name="Metric">Metric codes (GET /api/v1/metrics); repeat or comma-separate.</param>
/// <param name="GroupBy">province, prefecture, county, agency, sector, year, applicant; repeat or comma-separate.</param>
/// <param name="Division">A 2-, 4- or 6-digit GB/T 2260 prefix.</param>
/// <param name="Applicant">The column of part 三 metrics to sum (default total).</param>
/// <param name="Compare">previousYear: each row also carries the same group's values one year earlier, and the change.</param>
public sealed record GetRollup(
    [FromQuery(Name = "metric"), Required] string[]? Metric,
    [FromQuery(Name = "groupBy")] string[]? GroupBy,
    [FromQuery(Name = "division")] string? Division,
    [FromQuery(Name = "sector")] string? Sector,
    [FromQuery(Name = "yearFrom")] int? YearFrom,
    [FromQuery(Name = "yearTo")] int? YearTo,
    [FromQuery(Name = "applicant")] string? Applicant,
    [FromQuery(Name = "compare")] string? Compare,
    [FromQuery(Name = "format")] string? Format,
    [FromQuery(Name = "labels")] string? Labels) : IQuery<RollupResponse>, IExportable;

public sealed class GetRollupValidator : AbstractValidator<GetRollup>
{
    public GetRollupValidator()
    {
        RuleFor(q => q.Metric)
            .Must(m => QueryList.Items(m).Any()).WithMessage("Name at least one metric, e.g. metric=proactive.penalty.decisions. See GET /api/v1/metrics.")
            .MetricCodes();
        RuleFor(q => q.GroupBy).DimensionKeys(Dimensions.All);
        RuleFor(q => q.Applicant)
            .Must(a => a is null || Applicants.TryParse(a, out _))
            .WithMessage((_, a) => $"Unknown applicant column '{a}'. Valid: {string.Join(", ", Applicants.All.Select(c => c.Key()))}.");
        RuleFor(q => q.Applicant)
            .Must((q, _) => FlatMetric(q) is null)
            .When(SplitsByApplicant)
            .WithMessage(q => $"Metric '{FlatMetric(q)!.Code}' has no applicant dimension; only part 三 (applications.*) metrics split by applicant.");
        RuleFor(q => q.Division).DivisionPrefix();
        RuleFor(q => q.Sector).SectorCode();
        RuleFor(q => q.YearFrom).QueryYear();
        RuleFor(q => q.YearTo).QueryYear();
        RuleFor(q => q.YearFrom).Must((q, from) => !(from > q.YearTo)).WithMessage(q => $"yearFrom {q.YearFrom} is after yearTo {q.YearTo}.");
        RuleFor(q => q.Compare)
            .Must(c => c is null or "previousYear").WithMessage((_, c) => $"Unknown comparison '{c}'. Valid: previousYear.")
            .DependentRules(() => RuleFor(q => q.Compare)
                .Must((q, _) => GroupsByYear(q) || q.YearFrom is not null && q.YearFrom == q.YearTo)
                .When(q => q.Compare is not null)
                .WithMessage("compare=previousYear compares each group with the same group a year earlier, so each group must be one year: " +
                             "add year to groupBy, or pick a single year with yearFrom = yearTo."));
        Include(new ExportableValidator());
    }

    private static bool GroupsByYear(GetRollup q) => QueryList.Items(q.GroupBy).Contains(Dimension.Year.Key());

    private static bool SplitsByApplicant(GetRollup q) =>
        QueryList.Items(q.GroupBy).Contains(Dimension.Applicant.Key()) || q.Applicant is not null && q.Applicant != Domain.Applicant.Total.Key();

    private static Metric? FlatMetric(GetRollup q) =>
        QueryList.Items(q.Metric).Select(MetricCatalogue.Find).FirstOrDefault(m => m is { HasApplicants: false });
}

public static class GetRollupEndpoint
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/rollups", Answer)
            .WithTags("Rollups")
            .WithName("GetRollup")
            .WithSummary("Sum metrics over the latest revision of every report, grouped")
            .WithDescription("metric and groupBy repeat (or take comma-separated lists). groupBy: province, prefecture, county, agency, sector, year, applicant. " +
                             "division filters by a 2-, 4- or 6-digit prefix; applicant picks the column of part 三 metrics (default total). " +
                             "compare=previousYear adds to each row the same group's values one year earlier (previous) and the change; it needs year in groupBy " +
                             "or a single year (yearFrom = yearTo). The same as CSV: GET /api/v1/rollups.csv. Answers are kept by data version: " +
                             "a repeat while nothing it reads has changed, and If-None-Match with its tag (304), cost no database work.")
            .WithMetadata(new OwnsEntityTagMetadata())
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem();
        api.MapGet(CsvExport.PathOf("/rollups"), ([AsParameters] GetRollup query, RollupCache cache, HttpContext http, IMediator mediator, CancellationToken cancellationToken) =>
                Answer(query with { Format = "csv" }, cache, http, mediator, cancellationToken))
            .WithTags("Rollups")
            .AsCsvExport("GetRollupCsv", "The same rollup as CSV")
            .WithMetadata(new OwnsEntityTagMetadata())
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem();
    }

    private static async Task<Results<JsonBytesResult<RollupResponse>, CsvResult, StatusCodeHttpResult>> Answer(
        [AsParameters] GetRollup query, RollupCache cache, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        // A held answer whose data has not changed is checked against If-None-Match before any work.
        var answer = cache.Current(query);
        if (answer is null || !ConditionalGet.Matches(http.Request, answer.ETag))
        {
            answer ??= await cache.ComputeAsync(query, async q => await mediator.Send(q, cancellationToken));
        }
        var output = query.Output();
        // The CSV is another representation of the same answer: another tag.
        var tag = output.IsCsv ? answer.ETag.Insert(answer.ETag.Length - 1, output.Labels == HeaderLabels.Zh ? "-csv-zh" : "-csv") : answer.ETag;
        http.Response.Headers.ETag = tag;
        if (ConditionalGet.Matches(http.Request, tag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return output.IsCsv ? RollupCsv.Result(RollupSpec.From(query), answer.Response!, output.Labels) : new JsonBytesResult<RollupResponse>(answer.Json);
    }
}
