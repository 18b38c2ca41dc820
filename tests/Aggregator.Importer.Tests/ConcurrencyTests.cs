using System.Text;
using Aggregator.Domain;

namespace Aggregator.Importer.Tests;

/// <summary>The API imports many pages at once: imports running side by side must give what one import alone gives.</summary>
public sealed class ConcurrencyTests
{
    private const int Threads = 8;
    private const int ImportsPerThread = 5;

    [Fact]
    public async Task Html_fixtures_imported_from_several_threads_at_once_give_identical_results()
    {
        var pages = new[] { "pingtan-2021", "shuyang-fgj-2023" }.Select(name => Fixtures.Read(name, "html")).ToArray();
        var expected = pages.Select(page => Describe(ReportImporter.ImportHtml(page))).ToArray();
        using var start = new Barrier(Threads);

        var threads = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return Enumerable.Range(0, ImportsPerThread)
                .Select(i => (Page: (t + i) % pages.Length, Result: Describe(ReportImporter.ImportHtml(pages[(t + i) % pages.Length]))))
                .ToList();
        }, TaskCreationOptions.LongRunning)).ToArray();
        var imports = (await Task.WhenAll(threads)).SelectMany(imports => imports).ToList();

        Assert.Equal(Threads * ImportsPerThread, imports.Count);
        Assert.All(imports, import => Assert.Equal(expected[import.Page], import.Result));
    }

    private static string Describe(ImportResult result)
    {
        var text = new StringBuilder($"{result.AgencyName} {result.Year}\n");
        text.AppendLine(Encoding.UTF8.GetString(ReportDocumentJson.Serialize(result.Document!)));
        foreach (var diagnostic in result.Diagnostics)
        {
            text.AppendLine($"{diagnostic.Severity} {diagnostic.Path} L{diagnostic.Line}: {diagnostic.Reason}");
        }
        foreach (var finding in result.Findings)
        {
            text.AppendLine($"{finding.Rule} {finding.Path} {finding.Message}");
        }
        return text.ToString();
    }
}
