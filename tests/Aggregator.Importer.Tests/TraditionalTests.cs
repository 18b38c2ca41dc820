namespace Aggregator.Importer.Tests;

/// <summary>
/// Issue #13: a traditional-character copy of a report (s2t, Hong Kong and Taiwan forms; made with OpenCC, see
/// tests/Fixtures/traditional/README.md) imports to the same cells, with the same diagnostics, as the simplified one.
/// </summary>
public sealed class TraditionalTests
{
    [Theory]
    [InlineData("wusu-transport-2020.s2t.txt", "wusu-transport-2020", "txt")]
    [InlineData("pingtan-2022.s2hk.txt", "pingtan-2022", "txt")]
    [InlineData("shuyang-fgj-2023.s2tw.html", "shuyang-fgj-2023", "html")]
    public void A_traditional_copy_reads_as_the_simplified_one(string copy, string name, string format)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "traditional", copy));
        Assert.NotEqual(Fixtures.Read(name, format), text);

        var traditional = format == "html" ? ReportImporter.ImportHtml(text) : ReportImporter.ImportText(text);
        var simplified = Fixtures.Import(name, format);

        Assert.NotNull(traditional.Document);
        Assert.Equal(simplified.Document!.Fields.Select(c => (c.Path, c.Value)), traditional.Document.Fields.Select(c => (c.Path, c.Value)));
        Assert.Equal(Blocking(simplified), Blocking(traditional));
        Assert.Equal(simplified.Year, traditional.Year);
        Assert.Equal(simplified.Findings.Select(f => f.Path), traditional.Findings.Select(f => f.Path));
        // Narratives are the published (traditional) text, not folded.
        Assert.Equal(simplified.Document.Overview is null, traditional.Document.Overview is null);
        Assert.NotEqual(simplified.Document.OtherMatters, traditional.Document.OtherMatters);
    }

    private static string[] Blocking(ImportResult result) =>
        [.. result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Blocking).Select(d => d.Path).Order()];
}
