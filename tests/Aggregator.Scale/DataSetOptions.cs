using Aggregator.Domain;

namespace Aggregator.Scale;

public static class DataSetOptions
{
    /// <summary>The data set named by --seed (default 1) and --last-year (default: the last completed year).</summary>
    public static NationalDataSet From(Options options)
    {
        var lastYear = (int)options.Number("last-year", ReportYears.LastCompleted(DateTimeOffset.UtcNow));
        return new NationalDataSet(options.Number("seed", 1), lastYear, DivisionList.Load());
    }
}
