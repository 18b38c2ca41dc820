using System.Text;
using Aggregator.Domain;
using Aggregator.Importer.Html;

namespace Aggregator.Importer.Tests;

public sealed class InputTests
{
    static InputTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private const string NewsArticle = """
        乌苏市召开2020年度交通运输工作会议
        发布时间：2021-01-15 来源：乌苏市交通运输局
        1月14日，乌苏市交通运输局召开2020年度工作总结暨2021年工作部署会议。会议总结了全年农村公路建设、
        道路运输管理和安全生产工作，全年新改建农村公路126公里，完成投资3.2亿元。
        会议要求，各科室要进一步做好政府信息公开工作，及时回应群众关切。
        """;

    [Fact]
    public void A_news_article_is_not_a_report()
    {
        var result = ReportImporter.ImportText(NewsArticle);

        Assert.False(result.IsReport);
        Assert.Null(result.Document);
        Assert.Empty(result.Findings);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Blocking, diagnostic.Severity);
        Assert.Equal("", diagnostic.Path);
        Assert.Contains("No table of the annual report template was found", diagnostic.Reason);
        Assert.True(result.HasBlockingDiagnostics);
    }

    [Fact]
    public void A_news_page_is_not_a_report()
    {
        var html = $"<html><head><title>新闻</title></head><body><nav>首页 政务公开</nav><p>{NewsArticle.Replace("\n", "</p><p>")}</p></body></html>";

        Assert.False(ReportImporter.ImportHtml(html).IsReport);
    }

    [Fact]
    public void Gb18030_bytes_with_their_charset_import_as_the_utf8_text_does()
    {
        var seed = Fixtures.Read(Fixtures.Seed, "txt");
        var gb = Encoding.GetEncoding("gb18030").GetBytes(seed);

        var fromGb = ReportImporter.Import(gb, "text/plain", "gb18030");
        var fromUtf8 = ReportImporter.Import(Encoding.UTF8.GetBytes(seed), "text/plain", "utf-8");

        AssertSameImport(ReportImporter.ImportText(seed), fromGb);
        AssertSameImport(fromUtf8, fromGb);
    }

    [Fact]
    public void A_gbk_page_is_decoded_by_its_meta_tag()
    {
        var html = Fixtures.Read("shuyang-fgj-2023", "html").Replace("<meta charset=\"utf-8\"", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=GBK\"");
        var gbk = Encoding.GetEncoding("gbk").GetBytes(html);

        var result = ReportImporter.Import(gbk, "text/html", charset: null);

        FixtureTests.AssertExact("shuyang-fgj-2023", result);
        Assert.Equal("沭阳县发展和改革局", result.AgencyName);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_dropped()
    {
        var seed = Fixtures.Read(Fixtures.Seed, "txt");
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(seed)).ToArray();

        var result = ReportImporter.Import(body, "text/plain", charset: null);

        FixtureTests.AssertExact(Fixtures.Seed, result);
        Assert.Equal("乌苏市交通运输局", result.AgencyName);
    }

    [Fact]
    public void Money_in_yuan_is_converted_to_wan_yuan_and_a_note_is_dropped()
    {
        var text = Fixtures.Read("shuyang-fgj-2023", "txt")
            .Replace("\t行政事业性收费\n\t0", "\t行政事业性收费\n\t251000元")
            .Replace("\t规范性文件\n\t8", "\t规范性文件\n\t8（其中修订2件）");

        var result = ReportImporter.ImportText(text);

        Assert.Equal(25.1m, result.Document!.Get("proactive.fees.amount"));
        Assert.Equal(8m, result.Document.Get("proactive.normativeDocuments.issued"));
        Assert.False(result.HasBlockingDiagnostics);
        Assert.Contains(result.Diagnostics, d => d is { Path: "proactive.fees.amount", Severity: DiagnosticSeverity.Info } && d.Reason.Contains("25.1 万元"));
        Assert.Contains(result.Diagnostics, d => d is { Path: "proactive.normativeDocuments.issued", Severity: DiagnosticSeverity.Info } && d.Reason.Contains("(其中修订2件)"));
    }

    [Fact]
    public void A_cell_that_is_not_a_number_is_blank_with_a_blocking_diagnostic_at_its_line()
    {
        var text = Fixtures.Read("shuyang-fgj-2023", "txt").Replace("\t行政处罚\n\t0", "\t行政处罚\n\t若干");
        var line = text.Split('\n').ToList().IndexOf("\t若干") + 1;

        var result = ReportImporter.ImportText(text);

        Assert.Null(result.Document!.Get("proactive.penalty.decisions"));
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Blocking);
        Assert.Equal(("proactive.penalty.decisions", line), (diagnostic.Path, diagnostic.Line));
    }

    [Fact]
    public void A_lost_row_label_leaves_only_that_row_blank_with_blocking_diagnostics()
    {
        var text = Fixtures.Read("shuyang-fgj-2023", "txt").Replace("2.重复申请", "2.重覆的申请");

        var result = ReportImporter.ImportText(text);

        var blocked = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Blocking).Select(d => d.Path).ToHashSet();
        Assert.Equal(Applicants.All.Select(a => $"applications.notProcessed.duplicate.{a.Key()}").ToHashSet(), blocked);
        var comparison = CellComparison.Compare(Fixtures.Document("shuyang-fgj-2023"), result);
        Assert.Empty(comparison.Wrong);
    }

    [Fact]
    public void Html_grid_writes_a_merged_cell_once_and_never_repeats_its_number()
    {
        const string html = """
            <table>
              <tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td rowspan="2">5</td><td></td><td colspan="2">7</td></tr>
              <tr><td>（二）部分公开</td><td rowspan="2"></td><td>1</td><td>2</td></tr>
              <tr><td>x</td><td>y</td><td>3</td><td>4</td></tr>
            </table>
            """;

        var rows = HtmlRenderer.Render(html).Original.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("\t三、本年度办理结果\n\t（一）予以公开\n\t5\n\t\n\t7", rows[0].Trim('\n'));
        Assert.Equal("\t（二）部分公开\n\t\uE000\n\t\n\t1\n\t2", rows[1].Trim('\n'));
        Assert.Equal("\tx\n\ty\n\t3\n\t\n\t4", rows[2].Trim('\n'));
    }

    private static void AssertSameImport(ImportResult expected, ImportResult actual)
    {
        Assert.Equal(expected.AgencyName, actual.AgencyName);
        Assert.Equal(expected.Year, actual.Year);
        Assert.Equal(ReportDocumentJson.Serialize(expected.Document!), ReportDocumentJson.Serialize(actual.Document!));
        Assert.Equal(expected.Diagnostics, actual.Diagnostics);
        Assert.Equal(expected.Findings.Select(f => f.Message), actual.Findings.Select(f => f.Message));
    }
}
