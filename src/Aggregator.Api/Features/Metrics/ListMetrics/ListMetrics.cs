using Aggregator.Domain;
using Mediator;

namespace Aggregator.Api.Features.Metrics.ListMetrics;

/// <summary>A metric of the catalogue: a numeric field of the report document.</summary>
/// <param name="Code">The document path, e.g. proactive.penalty.decisions.</param>
/// <param name="Label">The template's Chinese label.</param>
/// <param name="Editions">The template editions that carry it: "2019", "2021".</param>
/// <param name="Unit">count, or wanYuan (万元).</param>
/// <param name="ComparesAcrossEditions">True when it means the same in both editions, so values compare across them.</param>
/// <param name="HasApplicants">True for part 三 rows: one value per applicant column (naturalPerson … total).</param>
/// <param name="MayBeNegative">True only for the 2019 edition's itemsChange (本年增/减).</param>
/// <param name="DerivedIn">The edition in which the metric is the sum of its child rows rather than a field (2021 otherHandling).</param>
public sealed record MetricResponse(
    string Code, string Label, IReadOnlyList<string> Editions, string Unit, bool ComparesAcrossEditions, bool HasApplicants,
    bool MayBeNegative, string? DerivedIn)
{
    public static MetricResponse From(Metric metric) =>
        new(metric.Code, metric.Label, metric.Editions.Select(e => e.Code()).ToArray(),
            metric.Unit == MetricUnit.Count ? "count" : "wanYuan", metric.ComparesAcrossEditions, metric.HasApplicants,
            metric.MayBeNegative, metric.DerivedIn?.Code());
}

public sealed record ListMetrics : IQuery<IReadOnlyList<MetricResponse>>;

public sealed class ListMetricsHandler : IQueryHandler<ListMetrics, IReadOnlyList<MetricResponse>>
{
    private static readonly MetricResponse[] Catalogue = MetricCatalogue.All.Select(MetricResponse.From).ToArray();

    public ValueTask<IReadOnlyList<MetricResponse>> Handle(ListMetrics query, CancellationToken cancellationToken) => new(Catalogue);
}

public static class ListMetricsEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/metrics", async Task<Ok<IReadOnlyList<MetricResponse>>> (IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new ListMetrics(), cancellationToken)))
            .WithTags("Metrics")
            .WithName("ListMetrics")
            .WithSummary("The metric catalogue: every numeric field of both template editions");
}
