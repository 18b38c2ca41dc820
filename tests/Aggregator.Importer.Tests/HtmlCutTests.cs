using Aggregator.Importer.Html;
using Aggregator.Importer.Text;

namespace Aggregator.Importer.Tests;

/// <summary>Parsing only the head and the element holding the report must render exactly what parsing the whole page does.</summary>
public sealed class HtmlCutTests
{
    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>();
        foreach (var name in new[] { "pingtan-2021", "shuyang-fgj-2023" })
        {
            var html = Fixtures.Read(name, "html");
            pages.Add(html);
            pages.Add(html.Replace("\n", "\r\n"));
        }
        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void A_fixture_page_is_cut_to_its_report_and_renders_as_the_whole_page_does(string html)
    {
        var page = HtmlSlimmer.Slim(html);

        Assert.NotNull(page.Report);
        Assert.True(page.Report.Length < page.Html.Length, $"cut {page.Report.Length} of {page.Html.Length}");
        AssertSameRendering(HtmlRenderer.Render(html, cutToReport: false), HtmlRenderer.Render(html));
    }

    [Fact]
    public void A_cut_the_parser_does_not_see_the_report_in_falls_back_to_the_whole_page()
    {
        // HTML reads <![CDATA[…]]> as a comment: the slimmer sees 总体情况 in the second div, the parser only in the first.
        const string html = """
            <html><head><title>T</title></head><body>
            <div><p>一、总体情况</p><p>全年公开信息120条。</p></div>
            <div><![CDATA[总体情况]]><table><tr><td>本年新收</td><td>3</td></tr></table></div>
            </body></html>
            """;

        Assert.NotNull(HtmlSlimmer.Slim(html).Report);
        var rendered = HtmlRenderer.Render(html);

        Assert.Contains("全年公开信息120条", rendered.Original);
        AssertSameRendering(HtmlRenderer.Render(html, cutToReport: false), rendered);
    }

    [Theory]
    [InlineData("<html><body><table><div><p>总体情况</p></div><tr><td>本年新收</td></tr></table></body></html>")]
    [InlineData("<html><div><p>总体情况</p><table><tr><td>本年新收</td></tr></table></div></html>")]
    [InlineData("<html><body><p>总体情况</p><table><tr><td>本年新收</td></tr></table></body></html>")]
    public void A_page_whose_report_element_cannot_be_told_before_parsing_is_not_cut(string html)
    {
        Assert.Null(HtmlSlimmer.Slim(html).Report);
        AssertSameRendering(HtmlRenderer.Render(html, cutToReport: false), HtmlRenderer.Render(html));
    }

    private static void AssertSameRendering(SourceText whole, SourceText cut)
    {
        Assert.Equal(whole.Original, cut.Original);
        Assert.Equal(Lines(whole), Lines(cut));
    }

    // The source line of each rendered line.
    private static int[] Lines(SourceText source) =>
        Enumerable.Range(0, source.Text.Length).Where(i => i == 0 || source.Text[i - 1] == '\n').Select(source.LineAt).ToArray();
}
