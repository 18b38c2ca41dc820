using System.Text.RegularExpressions;

namespace Aggregator.Importer.Html;

/// <summary>
/// Drops what the renderer never reads before the page is parsed: scripts, styles, comments and style and class
/// attributes, which make up most of a page exported from Word. Every line break is kept, so source lines stay right.
/// </summary>
internal static partial class HtmlSlimmer
{
    public static string Slim(string html) => Droppable().Replace(html, match =>
        match.ValueSpan.Count('\n') is var breaks and > 0 ? new string('\n', breaks) : " ");

    [GeneratedRegex(@"<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>|<!--.*?-->|\s(?:style|class)\s*=\s*(?:""[^""]*""|'[^']*')",
        RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex Droppable();
}
