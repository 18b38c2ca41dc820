using Aggregator.Api.Infrastructure.Csv;
using Aggregator.Api.Features.Shared;
using Aggregator.Domain;

namespace Aggregator.Api.Features.Rollups.GetRollup;

/// <summary>
/// A rollup as CSV: per group dimension its code (and name, where it has one), then reports, then per metric its sum
/// and its blank count (with compare=previousYear also the previous value and the change). A sum that is null (no report in the group carries the metric) is an empty field.
/// </summary>
public static class RollupCsv
{
    private static IEnumerable<(CsvColumn Column, Func<RollupRow, string?> Field)> Columns(Dimension dimension) =>
        RegionGroup.CsvColumns(dimension)?.Select(c => (c.Column, (Func<RollupRow, string?>)c.Field)) ?? dimension switch
        {
            Dimension.Agency => [(new("agency", "机关代码"), r => r.Agency), (new("agencyName", "机关"), r => r.AgencyName)],
            Dimension.Year => [(new("year", "年度"), r => CsvWriter.Format(r.Year))],
            Dimension.Applicant => [(new("applicant", "申请人"), r => r.Applicant)],
            _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
        };

    public static CsvResult Result(RollupSpec query, RollupResponse response, HeaderLabels labels)
    {
        var columns = query.GroupBy.SelectMany(Columns).ToList();
        columns.Add((new("reports", "报告数"), r => CsvWriter.Format(r.Reports)));
        columns.Add((new("expected", "应报数"), r => CsvWriter.Format(r.Expected)));
        columns.Add((new("reportingRate", "报送率"), r => CsvWriter.Format(r.ReportingRate)));
        foreach (var metric in query.Metrics)
        {
            columns.Add((new(metric.Code, metric.Label), r => CsvWriter.Format(r.Values[metric.Code])));
            columns.Add((new($"{metric.Code}.blanks", $"{metric.Label} 空白格数"), r => CsvWriter.Format(r.Blanks[metric.Code])));
            if (query.Compare is not null)
            {
                columns.Add((new($"{metric.Code}.previous", $"{metric.Label} 上年"), r => CsvWriter.Format(r.Previous?.GetValueOrDefault(metric.Code))));
                columns.Add((new($"{metric.Code}.change", $"{metric.Label} 增减"), r => CsvWriter.Format(r.Change?.GetValueOrDefault(metric.Code))));
            }
        }
        return new CsvResult("rollup.csv", columns.Select(c => c.Column).ToArray(), labels,
            response.Rows.Select(row => columns.Select(c => c.Field(row))));
    }
}
