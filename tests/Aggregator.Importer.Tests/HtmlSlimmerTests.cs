using Aggregator.Importer.Html;

namespace Aggregator.Importer.Tests;

public sealed class HtmlSlimmerTests
{
    [Fact]
    public void Only_rowspan_and_colspan_are_kept_and_inline_wrappers_go_with_their_text_kept()
    {
        const string html = """<td class="x" ROWSPAN="2" style='a>b' colspan=3><p align=center><span lang="EN-US"><font face="宋体">5</font></span><o:p></o:p></p></td>""";

        Assert.Equal("""<td ROWSPAN="2" colspan=3><p>5</p></td>""", HtmlSlimmer.Slim(html).Html);
    }

    [Fact]
    public void Every_line_break_is_kept_where_markup_is_dropped()
    {
        const string html = "<p\nclass=\"a\nb\">A<!-- one\ntwo -->B<script>\nx('<td>')\n</script>C<span\nstyle=\"z\">D</span></p>";

        var slimmed = HtmlSlimmer.Slim(html).Html;

        Assert.Equal(html.Count(c => c == '\n'), slimmed.Count(c => c == '\n'));
        Assert.Equal("<p\n\n>A\nB\n\nC<!--\n-->D</p>", slimmed);
    }

    [Fact]
    public void Raw_text_is_copied_as_it_is_and_a_self_closing_slash_stays()
    {
        const string html = """<title>a <b class="c"> 报告</title><svg class="i"/><p>x</p><textarea><span>t</span></textarea>""";

        Assert.Equal("""<title>a <b class="c"> 报告</title><svg/><p>x</p><textarea><span>t</span></textarea>""", HtmlSlimmer.Slim(html).Html);
    }

    [Theory]
    [InlineData("a < b", "a < b")]
    [InlineData("<td colspan=\"2", "<td colspan=\"2")]
    [InlineData("<script>never closed <p>", "<script>never closed <p>")]
    public void What_is_not_a_whole_tag_is_left_to_the_parser(string html, string slimmed) =>
        Assert.Equal(slimmed, HtmlSlimmer.Slim(html).Html);

    [Fact]
    public void A_comment_that_never_closes_runs_to_the_end_and_goes_leaving_its_line_breaks() =>
        Assert.Equal("<p>x</p>\n\n", HtmlSlimmer.Slim("<p>x</p><!-- open\n<p>y</p>\n<!-- again").Html);
}
