using Aggregator.Api.Features.Shared;
using Aggregator.Domain;
using Aggregator.Api.Infrastructure.Csv;

namespace Aggregator.Api.Features.Completeness.GetCompleteness;

/// <summary>Completeness as CSV: per group its keys and names, the counts, and the agencies missing, late and with findings (codes separated by spaces).</summary>
public static class CompletenessCsv
{
    public static CsvResult Result(IReadOnlyList<Dimension> groupBy, CompletenessResponse response, HeaderLabels labels)
    {
        var columns = groupBy.SelectMany(d => RegionGroup.CsvColumns(d)!)
            .Select(c => (c.Column, Field: (Func<CompletenessGroup, string?>)c.Field)).ToList();
        columns.Add((new("expected", "应报数"), g => CsvWriter.Format(g.Expected)));
        columns.Add((new("submitted", "已报数"), g => CsvWriter.Format(g.Submitted)));
        columns.Add((new("reportingRate", "报送率"), g => CsvWriter.Format(g.ReportingRate)));
        columns.Add((new("missing", "未报机关"), g => string.Join(' ', g.Missing.Select(a => a.Code))));
        columns.Add((new("late", "逾期机关"), g => string.Join(' ', g.Late.Select(a => a.Code))));
        columns.Add((new("withFindings", "有勾稽问题的机关"), g => string.Join(' ', g.WithFindings)));
        return new CsvResult($"completeness-{response.Year}.csv", columns.Select(c => c.Column).ToArray(), labels,
            response.Groups.Select(group => columns.Select(c => c.Field(group))));
    }
}
