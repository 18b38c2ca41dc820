using System.Text.RegularExpressions;
using Aggregator.Importer.Text;

namespace Aggregator.Importer.Reading;

/// <summary>
/// The agency and year from the report's title: "乌苏市交通运输局政府信息公开工作2020年度报告",
/// "淮安市人民政府 2024年政府信息公开工作年度报告", "沭阳县发展和改革局2023年政府信息公开年度报告". The search
/// anchors on the year and the words of the title; the agency is the run of Chinese before them.
/// </summary>
internal static partial class TitleReader
{
    private const int MaxAgencyLength = 40;

    public static (string? Agency, int? Year) Read(SourceText source, int searchEnd)
    {
        var text = source.Text;
        var length = Math.Min(searchEnd, text.Length);
        var yearFirst = YearThenTitle().Match(text, 0, length);
        var titleFirst = TitleThenYear().Match(text, 0, length);
        while (yearFirst.Success || titleFirst.Success)
        {
            var useYearFirst = yearFirst.Success && (!titleFirst.Success || yearFirst.Index <= titleFirst.Index);
            var match = useYearFirst ? yearFirst : titleFirst;
            if (AgencyBefore(text, match.Index) is { } agency)
            {
                return (agency, int.Parse(match.Groups["year"].ValueSpan));
            }
            if (useYearFirst)
            {
                yearFirst = yearFirst.NextMatch();
            }
            else
            {
                titleFirst = titleFirst.NextMatch();
            }
        }
        return (null, null);
    }

    private static string? AgencyBefore(string text, int end)
    {
        while (end > 0 && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }
        var start = end;
        while (start > 0 && end - start < MaxAgencyLength && IsAgencyChar(text[start - 1]))
        {
            start--;
        }
        while (start < end && !char.IsLetter(text[start]))
        {
            start++;
        }
        return end - start >= 2 ? text[start..end] : null;
    }

    private static bool IsAgencyChar(char c) => c is >= '\u4E00' and <= '\u9FFF' or '(' or ')';

    // ASCII digits (int.Parse reads no others); the spaces around the optional 度 are taken whole (atomic), as two
    // runs of \s* side by side backtrack over every split of a long run of spaces.
    [GeneratedRegex(@"(?<year>(?:19|20)[0-9][0-9])\s*年(?>\s*)(?:度(?>\s*))?政\s*府\s*信\s*息\s*公\s*开\s*(?:工\s*作\s*)?(?:年\s*度\s*)?报\s*告", RegexOptions.CultureInvariant)]
    private static partial Regex YearThenTitle();

    [GeneratedRegex(@"政\s*府\s*信\s*息\s*公\s*开\s*工\s*作\s*(?<year>(?:19|20)[0-9][0-9])\s*年(?>\s*)(?:度(?>\s*))?报\s*告", RegexOptions.CultureInvariant)]
    private static partial Regex TitleThenYear();
}
