using System.Text.RegularExpressions;
using Aggregator.Importer.Text;

namespace Aggregator.Importer.Reading;

/// <summary>The narrative parts 一, 五 and 六 as published, cut between their headings; 六 ends where site furniture starts.</summary>
internal static partial class NarrativeReader
{
    /// <summary>
    /// Part 一 runs from its heading to the 二 heading, or to <paramref name="overviewEnd"/> (the first table label);
    /// parts 五 and 六 are searched after <paramref name="tablesEnd"/>.
    /// </summary>
    public static void Read(ImportSession session, int overviewEnd, int tablesEnd)
    {
        var source = session.Source;
        var text = source.Text;
        var document = session.Document;

        var overview = Template.OverviewHeading().Match(text);
        if (overview.Success && overview.Index < overviewEnd)
        {
            var end = After(Template.ProactiveHeading(), text, overview.Index + overview.Length, overviewEnd)?.Index ?? overviewEnd;
            document.Overview = NullIfEmpty(source.OriginalBetween(overview.Index + overview.Length, end));
        }

        var problems = After(Template.ProblemsHeading(), text, tablesEnd, text.Length);
        var otherMatters = After(Template.OtherMattersHeading(), text, problems is null ? tablesEnd : problems.Index + problems.Length, text.Length);
        if (problems is not null)
        {
            var end = otherMatters?.Index ?? SiteFurniture(text, problems.Index + problems.Length);
            document.Problems = NullIfEmpty(source.OriginalBetween(problems.Index + problems.Length, end));
        }
        if (otherMatters is not null)
        {
            var start = otherMatters.Index + otherMatters.Length;
            document.OtherMatters = NullIfEmpty(source.OriginalBetween(start, SiteFurniture(text, start)));
        }
        foreach (var (part, value) in new[] { ("一 总体情况", document.Overview), ("五 存在的主要问题及改进情况", document.Problems), ("六 其他需要报告的事项", document.OtherMatters) })
        {
            if (value is null)
            {
                session.Info("", $"Narrative part {part} not found; it is left out of the document.", null);
            }
        }
    }

    private static Match? After(Regex heading, string text, int from, int limit)
    {
        var match = heading.Match(text, from, Math.Max(0, limit - from));
        return match.Success ? match : null;
    }

    private static int SiteFurniture(string text, int from)
    {
        var match = Furniture().Match(text, from);
        return match.Success ? match.Index : text.Length;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    // Where a web page's own furniture follows the report.
    [GeneratedRegex(@"附件下载|附件:|扫一扫|打印本页|\[打印\]|【打印】|关闭窗口|【关闭】|上一篇|下一篇|相关链接|相关文章|网站地图|版权所有|主办单位|分享到", RegexOptions.CultureInvariant)]
    private static partial Regex Furniture();
}
