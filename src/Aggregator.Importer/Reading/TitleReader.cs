using System.Text.RegularExpressions;
using Aggregator.Importer.Text;

namespace Aggregator.Importer.Reading;

/// <summary>
/// The agency and year from the report's title: "乌苏市交通运输局政府信息公开工作2020年度报告",
/// "淮安市人民政府 2024年政府信息公开工作年度报告", "沭阳县发展和改革局2023年政府信息公开年度报告".
/// </summary>
internal static partial class TitleReader
{
    public static (string? Agency, int? Year) Read(SourceText source, int searchEnd)
    {
        var text = source.Text;
        var length = Math.Min(searchEnd, text.Length);
        var yearFirst = YearBeforeTitle().Match(text, 0, length);
        var yearLast = YearAfterTitle().Match(text, 0, length);
        var match = (yearFirst.Success, yearLast.Success) switch
        {
            (true, true) => yearFirst.Index <= yearLast.Index ? yearFirst : yearLast,
            (true, false) => yearFirst,
            (false, true) => yearLast,
            _ => null,
        };
        return match is null ? (null, null) : (match.Groups["agency"].Value, int.Parse(match.Groups["year"].Value));
    }

    [GeneratedRegex(@"(?<agency>\p{IsCJKUnifiedIdeographs}[\p{IsCJKUnifiedIdeographs}()]{1,39}?)\s*(?<year>(?:19|20)\d\d)\s*年\s*度?\s*政\s*府\s*信\s*息\s*公\s*开\s*(?:工\s*作\s*)?(?:年\s*度\s*)?报\s*告", RegexOptions.CultureInvariant)]
    private static partial Regex YearBeforeTitle();

    [GeneratedRegex(@"(?<agency>\p{IsCJKUnifiedIdeographs}[\p{IsCJKUnifiedIdeographs}()]{1,39}?)\s*政\s*府\s*信\s*息\s*公\s*开\s*工\s*作\s*(?<year>(?:19|20)\d\d)\s*年\s*度?\s*报\s*告", RegexOptions.CultureInvariant)]
    private static partial Regex YearAfterTitle();
}
