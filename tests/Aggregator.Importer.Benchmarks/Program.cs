using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Aggregator.Importer.Benchmarks;

// dotnet run -c Release --project tests/Aggregator.Importer.Benchmarks [-- --filter '*']
var summaries = BenchmarkSwitcher.FromAssembly(typeof(ImportBenchmarks).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
foreach (var report in summaries.SelectMany(s => s.Reports))
{
    PrintThroughput(report);
}

static void PrintThroughput(BenchmarkReport report)
{
    if (report.ResultStatistics is { Mean: > 0 } statistics)
    {
        Console.WriteLine($"{report.BenchmarkCase.Descriptor.WorkloadMethod.Name,-22} {statistics.Mean / 1000,10:F1} µs  {1e9 / statistics.Mean,10:F0} reports/s on one core");
    }
}
