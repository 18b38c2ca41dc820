using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Aggregator.Importer.Benchmarks;

/// <summary>
/// The importer against a floor measured in the same run: NFKC folding and splitting the same text into lines, the
/// least any reader of the text must do. Each category pairs one source with its floor, so the ratio is importer cost
/// over that floor.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ImportBenchmarks
{
    private string seed = "";
    private string largestText = "";
    private string largestPage = "";

    [GlobalSetup]
    public void Load()
    {
        seed = Fixtures.Read("wusu-transport-2020.txt");
        largestText = Fixtures.Read("huaian-szf-2024.txt");
        largestPage = Fixtures.Read("pingtan-2021.html");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("seed text")]
    public int SeedFloor() => Floor(seed);

    [Benchmark, BenchmarkCategory("seed text")]
    public ImportResult SeedImportText() => ReportImporter.ImportText(seed);

    [Benchmark(Baseline = true), BenchmarkCategory("largest text (huaian pdftotext)")]
    public int LargestTextFloor() => Floor(largestText);

    [Benchmark, BenchmarkCategory("largest text (huaian pdftotext)")]
    public ImportResult LargestImportText() => ReportImporter.ImportText(largestText);

    [Benchmark(Baseline = true), BenchmarkCategory("largest page (pingtan html, 367 KB)")]
    public int LargestPageFloor() => Floor(largestPage);

    [Benchmark, BenchmarkCategory("largest page (pingtan html, 367 KB)")]
    public ImportResult LargestImportHtml() => ReportImporter.ImportHtml(largestPage);

    private static int Floor(string text) => text.Normalize(NormalizationForm.FormKC).Split('\n').Length;
}
