using Aggregator.Api.Features.Rollups.GetRollup;
using Aggregator.Api.Infrastructure.Csv;

namespace Aggregator.Api.Features.Completeness.GetCompleteness;

/// <summary>Completeness as CSV: per group its keys and names, the counts, and the agencies missing, late and with findings (codes separated by spaces).</summary>
public static class CompletenessCsv
{
    private static IEnumerable<(CsvColumn Column, Func<CompletenessGroup, string?> Field)> Dimension(RollupDimension dimension) => dimension switch
    {
        RollupDimension.Province => [(new("province", "省代码"), g => g.Province), (new("provinceName", "省"), g => g.ProvinceName)],
        RollupDimension.Prefecture => [(new("prefecture", "地市代码"), g => g.Prefecture), (new("prefectureName", "地市"), g => g.PrefectureName)],
        RollupDimension.County => [(new("county", "县区代码"), g => g.County), (new("countyName", "县区"), g => g.CountyName)],
        _ => [(new("sector", "行业代码"), g => g.Sector), (new("sectorName", "行业"), g => g.SectorName)],
    };

    public static CsvResult Result(GetCompleteness query, CompletenessResponse response, HeaderLabels labels)
    {
        var columns = query.GroupBy.SelectMany(Dimension).ToList();
        columns.Add((new("expected", "应报数"), g => CsvWriter.Format(g.Expected)));
        columns.Add((new("submitted", "已报数"), g => CsvWriter.Format(g.Submitted)));
        columns.Add((new("reportingRate", "报送率"), g => CsvWriter.Format(g.ReportingRate)));
        columns.Add((new("missing", "未报机关"), g => string.Join(' ', g.Missing.Select(a => a.Code))));
        columns.Add((new("late", "逾期机关"), g => string.Join(' ', g.Late.Select(a => a.Code))));
        columns.Add((new("withFindings", "有勾稽问题的机关"), g => string.Join(' ', g.WithFindings)));
        return new CsvResult($"completeness-{query.Year}.csv", columns.Select(c => c.Column).ToArray(), labels,
            response.Groups.Select(group => columns.Select(c => c.Field(group))));
    }
}
