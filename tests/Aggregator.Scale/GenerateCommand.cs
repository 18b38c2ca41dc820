using System.Diagnostics;
using Aggregator.Domain;

namespace Aggregator.Scale;

/// <summary>What the first N reports of the data set look like, without an API: to check the generator's realism.</summary>
public static class GenerateCommand
{
    public static int Run(Options options)
    {
        var dataSet = DataSetOptions.From(options);
        var reports = Math.Min(options.Number("reports", 10_000), dataSet.Size);
        var clock = Stopwatch.StartNew();
        long cells = 0, blanks = 0, bytes = 0, breakers = 0;
        var penalties = new List<decimal>();
        for (long position = 0; position < reports; position++)
        {
            var document = dataSet.DocumentOf(dataSet.ReportAt(position));
            foreach (var cell in document.Fields)
            {
                cells++;
                blanks += cell.Value is null ? 1 : 0;
            }
            bytes += ReportDocumentJson.Serialize(document).Length;
            breakers += ConsistencyRules.Check(document).Any(f => f.Severity == FindingSeverity.Warning) ? 1 : 0;
            penalties.Add(document.Get("proactive.penalty.decisions") ?? 0);
        }
        penalties.Sort();
        Console.WriteLine($"data set (seed {dataSet.Seed}, years {ReportYears.First}–{dataSet.LastYear}): {dataSet.Agencies.Count:N0} agencies, {dataSet.Size:N0} reports");
        Console.WriteLine($"first {reports:N0} reports: {dataSet.AgenciesFor(reports):N0} agencies, {cells:N0} document cells, " +
                          $"{100.0 * blanks / cells:F1}% blank, {100.0 * breakers / reports:F1}% break R1–R4, " +
                          $"{bytes / reports:N0} bytes per document");
        Console.WriteLine($"penalty decisions per report: median {penalties[penalties.Count / 2]:N0}, " +
                          $"p99 {penalties[(int)(penalties.Count * 0.99)]:N0}, max {penalties[^1]:N0}, total {penalties.Sum():N0}");
        Console.WriteLine($"generated in {clock.Elapsed.TotalSeconds:F1} s ({reports / clock.Elapsed.TotalSeconds:N0} reports/s)");
        return 0;
    }
}
