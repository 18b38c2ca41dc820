using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Aggregator.Importer.Benchmarks;

/// <summary>
/// The importer against a floor measured in the same run: NFKC folding and splitting the same text into lines, the
/// least any reader of the text must do; for a PDF, PdfPig's own text extraction of the same file; for a Word file,
/// the Open XML SDK's text of its body. Each category pairs one source with its floor, so the ratio is importer cost
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
    private byte[] pdf = [];
    private byte[] unruledPdf = [];
    private byte[] docx = [];

    [GlobalSetup]
    public void Load()
    {
        seed = Fixtures.Read("wusu-transport-2020.txt");
        largestText = Fixtures.Read("huaian-szf-2024.txt");
        largestPage = Fixtures.Read("pingtan-2021.html");
        pdf = Fixtures.Bytes("pingtan-2021.pdf");
        unruledPdf = Fixtures.Bytes("pingtan-2021.unruled.pdf", "pdf");
        docx = Fixtures.Bytes("pingtan-2021.docx");
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

    // The floor of a PDF: PdfPig's own text extraction of every page of the same file (Page.Text).
    [Benchmark(Baseline = true), BenchmarkCategory("pdf (pingtan, 9 pages, 403 KB)")]
    public int PdfFloor() => PdfPigText(pdf);

    [Benchmark, BenchmarkCategory("pdf (pingtan, 9 pages, 403 KB)")]
    public ImportResult PdfImport() => ReportImporter.ImportPdf(pdf);

    // A PDF whose tables have no ruling lines (read from the words' geometry), the same floor.
    [Benchmark(Baseline = true), BenchmarkCategory("unruled pdf (pingtan via Word, 10 pages, 179 KB)")]
    public int UnruledPdfFloor() => PdfPigText(unruledPdf);

    [Benchmark, BenchmarkCategory("unruled pdf (pingtan via Word, 10 pages, 179 KB)")]
    public ImportResult UnruledPdfImport() => ReportImporter.ImportPdf(unruledPdf);

    // The floor of a Word file: the Open XML SDK's text of the body of the same file.
    [Benchmark(Baseline = true), BenchmarkCategory("docx (pingtan, 29 KB)")]
    public int DocxFloor()
    {
        using var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(docx), false);
        return document.MainDocumentPart!.Document!.Body!.InnerText.Length;
    }

    [Benchmark, BenchmarkCategory("docx (pingtan, 29 KB)")]
    public ImportResult DocxImport() => ReportImporter.ImportDocx(docx);

    private static int PdfPigText(byte[] file)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(file);
        return document.GetPages().Sum(page => page.Text.Length);
    }

    private static int Floor(string text) => text.Normalize(NormalizationForm.FormKC).Split('\n').Length;
}
