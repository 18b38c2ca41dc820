using System.Text.Json.Serialization;
using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Problems;
using FluentValidation;
using Aggregator.Domain;
using Mediator;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Reports.CompareReports;

/// <summary>An agency's report for <paramref name="Year"/> beside its report for <paramref name="With"/>, latest revisions.</summary>
public sealed record CompareReports(string AgencyCode, int Year, int? With) : IQuery<ReportComparison>;

public sealed class CompareReportsValidator : AbstractValidator<CompareReports>
{
    public CompareReportsValidator()
    {
        RuleFor(q => q.With).NotNull().WithMessage(q => $"Name the year to compare with, e.g. with={q.Year - 1}.");
        RuleFor(q => q.With).NotEqual(q => q.Year).WithMessage(q => $"Compare {q.Year} with another year, not with itself.");
    }
}

/// <summary>
/// Every metric both reports carry, with both values and the change. When the editions differ, only the metrics of both
/// editions are compared; the others are listed in <c>skipped</c> with the reason.
/// </summary>
public sealed record ReportComparison(
    string Agency, int Year, int With, string Edition, string WithEdition,
    IReadOnlyList<MetricComparison> Metrics, IReadOnlyList<SkippedMetric> Skipped);

/// <summary>One cell of both reports (part 三 metrics once per applicant column).</summary>
/// <param name="Value">The cell in the report of the year; null when blank.</param>
/// <param name="WithValue">The cell in the report of the other year; null when blank.</param>
/// <param name="Change"><c>value − withValue</c>; null when either cell is blank (blank is not zero: a difference with nothing published would read as a real change).</param>
public sealed record MetricComparison(
    string Metric,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Applicant,
    decimal? Value,
    decimal? WithValue,
    decimal? Change);

public sealed record SkippedMetric(string Metric, string Reason);

public sealed class CompareReportsHandler(AggregatorDbContext db) : IQueryHandler<CompareReports, ReportComparison>
{
    public async ValueTask<ReportComparison> Handle(CompareReports query, CancellationToken cancellationToken)
    {
        var with = query.With!.Value;
        var current = await db.Revisions.AsNoTracking()
            .Where(r => r.Report.Agency.Code == query.AgencyCode && (r.Report.Year == query.Year || r.Report.Year == with)
                        && r.Report.CurrentRevisionNumber == r.Number)
            .Select(r => new { r.Report.Year, r.Document })
            .ToDictionaryAsync(r => r.Year, r => r.Document, cancellationToken);
        var document = Read(query, query.Year, current);
        var other = Read(query, with, current);

        var metrics = new List<MetricComparison>();
        var skipped = new List<SkippedMetric>();
        foreach (var metric in MetricCatalogue.All.Where(m => m.IsIn(document.Edition) || m.IsIn(other.Edition)))
        {
            if (!metric.IsIn(document.Edition) || !metric.IsIn(other.Edition))
            {
                var only = metric.IsIn(document.Edition) ? document.Edition : other.Edition;
                skipped.Add(new SkippedMetric(metric.Code, $"{metric.Code} exists only in edition {only.Code()}"));
                continue;
            }
            foreach (var applicant in ReportDocument.ColumnsOf(metric))
            {
                var value = document.Get(metric, applicant);
                var withValue = other.Get(metric, applicant);
                metrics.Add(new MetricComparison(metric.Code, applicant?.Key(), Canonical(value), Canonical(withValue),
                    value is { } v && withValue is { } w ? Numbers.Canonical(v - w) : null));
            }
        }
        return new ReportComparison(query.AgencyCode, query.Year, with, document.Edition.Code(), other.Edition.Code(), metrics, skipped);
    }

    private static ReportDocument Read(CompareReports query, int year, Dictionary<int, string> current) =>
        current.TryGetValue(year, out var json)
            ? StoredJson.ReadDocument(json)
            : throw new NotFoundException($"Agency '{query.AgencyCode}' has no report for {year}.");

    private static decimal? Canonical(decimal? value) => value is { } v ? Numbers.Canonical(v) : null;
}

public static class CompareReportsEndpoint
{
    public static void Map(IEndpointRouteBuilder reports) =>
        reports.MapGet("/{year:int}/compare", async Task<Ok<ReportComparison>> (
                string code, int year, [FromQuery(Name = "with"), Required] int? withYear, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new CompareReports(code, year, withYear), cancellationToken)))
            .WithName("CompareReports")
            .WithSummary("Compare the latest revisions of an agency's reports for two years, metric by metric")
            .WithDescription("change = value − withValue, null when either cell is blank. Across editions only the metrics of both editions are " +
                             "compared; the others are listed in skipped with the reason.")
            .ProducesValidationProblem()
            .ProducesProblem(404);
}
