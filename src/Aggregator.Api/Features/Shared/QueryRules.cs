using Aggregator.Api.Infrastructure.Csv;
using Aggregator.Domain;
using FluentValidation;

namespace Aggregator.Api.Features.Shared;

/// <summary>
/// The validation rules of the query parameters that several endpoints share, each written once: division prefix,
/// sector, report years, metric codes, dimensions, output format. Messages name what is valid.
/// </summary>
public static class QueryRules
{
    public static IRuleBuilderOptions<T, string?> DivisionPrefix<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(d => d is null || Domain.DivisionPrefix.IsValid(d)).WithMessage(Domain.DivisionPrefix.Rule);

    public static IRuleBuilderOptions<T, string?> SectorCode<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => string.IsNullOrEmpty(s) || SectorCatalogue.Find(s) is not null)
            .WithMessage((_, s) => $"Unknown sector '{s}'. See GET /api/v1/sectors (e.g. transport, public-security, government).");

    public static IRuleBuilderOptions<T, int?> QueryYear<T>(this IRuleBuilder<T, int?> rule) =>
        rule.Must(y => y is null || ReportYears.IsQueryable(y.Value))
            .WithMessage((_, y) => $"Must be a report year from {ReportYears.First} to {ReportYears.QueryLimit}; got {y}.");

    public static IRuleBuilderOptions<T, string[]?> MetricCodes<T>(this IRuleBuilder<T, string[]?> rule) =>
        rule.Must(codes => QueryList.Items(codes).All(code => MetricCatalogue.Find(code) is not null))
            .WithMessage((_, codes) =>
                $"Unknown metric '{QueryList.Items(codes).First(c => MetricCatalogue.Find(c) is null)}'. " +
                $"Valid metrics (GET /api/v1/metrics): {string.Join(", ", MetricCatalogue.All.Select(m => m.Code))}.");

    public static IRuleBuilderOptions<T, string[]?> DimensionKeys<T>(this IRuleBuilder<T, string[]?> rule, IReadOnlyList<Dimension> allowed) =>
        rule.Must(keys => QueryList.Items(keys).All(key => Dimensions.TryParse(key, out var d) && allowed.Contains(d)))
            .WithMessage((_, keys) =>
                $"Unknown dimension '{QueryList.Items(keys).First(k => !Dimensions.TryParse(k, out var d) || !allowed.Contains(d))}'. " +
                $"Valid: {string.Join(", ", allowed.Select(d => d.Key()))}.");

    public static IRuleBuilderOptions<T, string?> OutputFormat<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(Output.IsValidFormat).WithMessage((_, f) => $"Unknown format '{f}'. {Output.FormatRule}");

    public static IRuleBuilderOptions<T, string?> HeaderLabels<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(Output.IsValidLabels).WithMessage((_, l) => $"Unknown labels '{l}'. {Output.LabelsRule}");

    /// <summary>
    /// The cursor, when given, must be one this list gave for the same filters (<paramref name="order"/> of the query), and
    /// comes without page. An empty cursor is none; a CSV export ignores it, as it does page and pageSize.
    /// </summary>
    public static IRuleBuilderOptionsConditions<T, string?> PageCursor<T, TKey>(this IRuleBuilder<T, string?> rule, Func<T, PageCursor<TKey>> order)
        where T : IPagedQuery where TKey : class, ICursorKey<TKey> =>
        rule.Custom((cursor, context) =>
        {
            if (string.IsNullOrEmpty(cursor)
                || context.InstanceToValidate is IExportable export && Output.IsValidFormat(export.Format) && Output.Of(export.Format, null).IsCsv)
            {
                return;
            }
            if (context.InstanceToValidate.Page is not null)
            {
                context.AddFailure(Shared.PageCursor.WithPage);
            }
            else if (!order(context.InstanceToValidate).TryDecode(cursor, out _, out var error))
            {
                context.AddFailure(error!);
            }
        });
}

/// <summary>A query that can answer CSV: its <c>format</c> and <c>labels</c> parameters.</summary>
public interface IExportable
{
    string? Format { get; }
    string? Labels { get; }
}

/// <summary>The rules of <see cref="IExportable"/>, included by the validators of those queries.</summary>
public sealed class ExportableValidator : AbstractValidator<IExportable>
{
    public ExportableValidator()
    {
        RuleFor(q => q.Format).OutputFormat();
        RuleFor(q => q.Labels).HeaderLabels();
    }
}

public static class Exportable
{
    public static Output Output(this IExportable query) => Infrastructure.Csv.Output.Of(query.Format, query.Labels);
}
