using Aggregator.Domain;

namespace Aggregator.Importer.Tests;

public sealed class FixtureTests
{
    [Fact]
    public void Seed_imports_to_its_expected_document_with_the_R1_finding()
    {
        var result = Fixtures.Import(Fixtures.Seed, "txt");

        Assert.Equal("乌苏市交通运输局", result.AgencyName);
        Assert.Equal(2020, result.Year);
        AssertExact(Fixtures.Seed, result);
        Assert.Equal(15m, result.Document!.Get("proactive.penalty.itemsLastYear"));
        Assert.Equal(0m, result.Document.Get("proactive.penalty.decisions"));
        Assert.Null(result.Document.Get("proactive.fees.itemsLastYear"));
        Assert.Null(result.Document.Get("applications.newlyReceived", Applicant.NaturalPerson));
        var finding = Assert.Single(result.Findings);
        Assert.Equal("R1", finding.Rule);
        Assert.Equal("applications.totalHandled.total", finding.Path);
    }

    [Fact]
    public void Seed_narratives_are_read_from_their_headings()
    {
        var expected = Fixtures.Expected(Fixtures.Seed)["narrative"]!;
        var document = Fixtures.Import(Fixtures.Seed, "txt").Document!;

        Assert.StartsWith(expected["overviewStartsWith"]!.GetValue<string>(), document.Overview);
        Assert.StartsWith(expected["problemsStartsWith"]!.GetValue<string>(), document.Problems);
        Assert.StartsWith(expected["otherMattersStartsWith"]!.GetValue<string>(), document.OtherMatters);
        Assert.DoesNotContain("二、主动公开政府信息情况", document.Overview);
        Assert.DoesNotContain("六、其他需要报告的事项", document.Problems);
    }

    [Theory]
    [InlineData("shuyang-fgj-2023", "txt")]
    [InlineData("shuyang-fgj-2023", "html")]
    [InlineData("huaian-szf-2024", "txt")]
    [InlineData("pingtan-2021", "html")]
    [InlineData("pingtan-2021", "pdf")]
    [InlineData("shuyang-fgj-2023", "pdf")]
    public void Fixture_imports_to_its_expected_document(string name, string format)
    {
        var result = Fixtures.Import(name, format);

        AssertExact(name, result);
        Assert.Empty(result.Findings);
    }

    [Theory]
    [InlineData("pingtan-2021", "txt")]
    [InlineData("pingtan-2021", "html")]
    public void Glued_cells_are_right_or_blank_with_a_blocking_diagnostic(string name, string format)
    {
        var result = Fixtures.Import(name, format);
        var comparison = CellComparison.Compare(Fixtures.Document(name), result);

        Assert.Empty(comparison.Wrong);
        Assert.All(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Blocking),
            d => Assert.Null(result.Document!.Fields.Single(c => c.Path == d.Path).Value));
    }

    [Fact]
    public void Glued_text_cuts_part_3_by_the_arithmetic_and_leaves_an_ambiguous_part_2_row_blank()
    {
        var result = Fixtures.Import("pingtan-2021", "txt");
        var document = result.Document!;

        Assert.Equal(27m, document.Get("applications.granted", Applicant.NaturalPerson));
        Assert.Equal(22m, document.Get("applications.unableToProvide.notHeld", Applicant.NaturalPerson));
        Assert.Equal(12m, document.Get("appeals.litigationDirect.total"));
        Assert.Equal(24252.311082m, document.Get("proactive.fees.amount"));
        var blocked = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Blocking).Select(d => d.Path).Order().ToArray();
        Assert.Equal(["proactive.normativeDocuments.inForce", "proactive.normativeDocuments.issued", "proactive.normativeDocuments.repealed"], blocked);
        Assert.All(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Blocking), d => Assert.Contains("693665", d.Reason));
        Assert.True(result.HasBlockingDiagnostics);
    }

    [Fact]
    public void Glued_cells_the_arithmetic_cannot_settle_stay_blank()
    {
        // With 总计 unreadable, R3 cannot choose between 27|0|0|2|0|1|30 and 2|7|0|0|20|1|30 for 予以公开.
        var text = Fixtures.Read("pingtan-2021", "txt").Replace("（七）总计630020469", "（七）总计630020479");

        var result = ReportImporter.ImportText(text);

        var comparison = CellComparison.Compare(Fixtures.Document("pingtan-2021"), result);
        Assert.Empty(comparison.Wrong);
        Assert.Null(result.Document!.Get("applications.granted", Applicant.NaturalPerson));
        Assert.Equal(30m, result.Document.Get("applications.granted", Applicant.Total));
        Assert.Contains(result.Diagnostics, d => d is { Path: "applications.granted.naturalPerson", Severity: DiagnosticSeverity.Blocking }
            && d.Reason.Contains("270020130") && d.Reason.Contains("2 ways"));
        Assert.Contains(result.Diagnostics, d => d is { Path: "applications.totalHandled.total", Severity: DiagnosticSeverity.Blocking });
    }

    [Theory]
    [InlineData("wusu-transport-2020", "txt")]
    [InlineData("shuyang-fgj-2023", "txt")]
    [InlineData("shuyang-fgj-2023", "html")]
    [InlineData("huaian-szf-2024", "txt")]
    public void Agency_and_year_are_read_from_the_title(string name, string format)
    {
        var expected = Fixtures.Expected(name);
        var result = Fixtures.Import(name, format);

        Assert.Equal(expected["agency"]!.GetValue<string>(), result.AgencyName);
        Assert.Equal(expected["year"]!.GetValue<int>(), result.Year);
    }

    [Theory]
    [InlineData("txt")]
    [InlineData("html")]
    public void Pingtan_title_names_the_zone_not_its_committee(string format)
    {
        // The title says 平潭综合实验区; the fixture's agency 平潭综合实验区管委会 is not printed in the report.
        var result = Fixtures.Import("pingtan-2021", format);

        Assert.Equal("平潭综合实验区", result.AgencyName);
        Assert.Equal(2021, result.Year);
    }

    [Fact]
    public void Html_diagnostics_name_the_line_of_the_html_source()
    {
        var html = Fixtures.Read("shuyang-fgj-2023", "html");
        var index = html.IndexOf("行政事业性收费", StringComparison.Ordinal);
        var cell = html.IndexOf(">0<", index, StringComparison.Ordinal);
        var edited = html[..cell] + ">约0<" + html[(cell + 3)..];
        var expectedLine = html[..cell].Count(c => c == '\n') + 1;

        var diagnostic = Assert.Single(ReportImporter.ImportHtml(edited).Diagnostics, d => d.Severity == DiagnosticSeverity.Blocking);

        Assert.Equal("proactive.fees.amount", diagnostic.Path);
        Assert.InRange(diagnostic.Line!.Value, expectedLine - 10, expectedLine);
    }

    internal static void AssertExact(string name, ImportResult result)
    {
        var comparison = CellComparison.Compare(Fixtures.Document(name), result);
        Assert.True(comparison.Wrong.Count == 0 && comparison.BlankWithDiagnostic == 0,
            $"{comparison.BlankWithDiagnostic} blank cells, wrong: {string.Join("; ", comparison.Wrong)}\n"
            + string.Join("\n", result.Diagnostics.Select(d => $"{d.Severity} {d.Path} L{d.Line}: {d.Reason}")));
        Assert.False(result.HasBlockingDiagnostics, string.Join("\n", result.Diagnostics.Select(d => $"{d.Path}: {d.Reason}")));
    }
}
