using System.Text;
using System.Text.RegularExpressions;
using Aggregator.Domain;

namespace Aggregator.Importer.Reading;

/// <summary>One cell of the template: a metric and, in part 三, the applicant column.</summary>
internal readonly record struct Slot(Metric Metric, Applicant? Applicant)
{
    public string Path => Applicant is { } applicant ? $"{Metric.Code}.{applicant.Key()}" : Metric.Code;
}

/// <summary>A printed row of a template table: how to find its label and which cells follow it, in column order.</summary>
internal sealed record TemplateRow(string Code, string Label, Regex Pattern, IReadOnlyList<Slot> Slots);

/// <summary>
/// The rows of both template editions as they are printed, matched on the label words that do not drift between
/// reports. Patterns run on folded text (see <see cref="Text.SourceText"/>), allow spaces inside words (pdftotext
/// splits "结 果") and take the row's own numbering ("3.", "(一)", "四、") with them, so a number glued in front of a
/// label is never read as a value.
/// </summary>
internal static partial class Template
{
    private static readonly Dictionary<Edition, IReadOnlyList<TemplateRow>> Proactive = Editions.All.ToDictionary(e => e, BuildProactive);
    private static readonly Dictionary<Edition, IReadOnlyList<TemplateRow>> Applications = Editions.All.ToDictionary(e => e, BuildApplications);

    public static IReadOnlyList<TemplateRow> ProactiveRows(Edition edition) => Proactive[edition];

    /// <summary>Compiles every row pattern and runs it once, so the first import does not pay for it.</summary>
    public static void Prepare()
    {
        foreach (var row in Proactive.Values.Concat(Applications.Values).SelectMany(rows => rows))
        {
            row.Pattern.IsMatch("");
        }
    }

    public static IReadOnlyList<TemplateRow> ApplicationRows(Edition edition) => Applications[edition];

    /// <summary>The 15 cells of part 四, block by block.</summary>
    public static readonly IReadOnlyList<Slot> AppealSlots =
        (from block in new[] { "review", "litigationDirect", "litigationAfterReview" }
         from field in MetricCatalogue.AppealFields
         select new Slot(MetricCatalogue.Get($"appeals.{block}.{field.Key}"), null)).ToArray();

    /// <summary>Column labels that only one edition prints in part 二.</summary>
    public static readonly IReadOnlyDictionary<Edition, string[]> EditionMarkers = new Dictionary<Edition, string[]>
    {
        [Edition.Edition2019] = ["本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "政府集中采购"],
        [Edition.Edition2021] = ["本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"],
    };

    /// <summary>Sub-rows of (六) that only the 2021 edition prints.</summary>
    public static readonly string[] OtherHandling2021Markers = ["逾期不补正", "收费通知"];

    private static IReadOnlyList<TemplateRow> BuildProactive(Edition edition)
    {
        var rows = new List<TemplateRow>();
        void Row(string key, string label, string pattern)
        {
            var slots = MetricCatalogue.FieldsOf(edition)
                .Where(m => m.Code.StartsWith($"proactive.{key}.", StringComparison.Ordinal))
                .Select(m => new Slot(m, null))
                .ToArray();
            if (slots.Length > 0)
            {
                rows.Add(new TemplateRow($"proactive.{key}", label, Compile(pattern), slots));
            }
        }
        Row("regulations", "规章", Spaced("规章"));
        Row("normativeDocuments", "规范性文件", $"(?:{Spaced("行政")}\\s*)?{Spaced("规范性文件")}");
        Row("licensing", "行政许可", Spaced("行政许可"));
        Row("otherServices", "其他对外管理服务事项", Spaced("其他对外管理服务"));
        Row("penalty", "行政处罚", Spaced("行政处罚"));
        Row("coercion", "行政强制", Spaced("行政强制"));
        Row("fees", "行政事业性收费", Spaced("行政事业性收费"));
        Row("procurement", "政府集中采购", Spaced("政府集中采购"));
        return rows;
    }

    private static IReadOnlyList<TemplateRow> BuildApplications(Edition edition)
    {
        var rows = new List<TemplateRow>();
        void Row(string key, string pattern, bool numbered = true)
        {
            var metric = MetricCatalogue.Get($"applications.{key}");
            var slots = Applicants.All.Select(a => new Slot(metric, a)).ToArray();
            rows.Add(new TemplateRow(metric.Code, metric.Label, Compile((numbered ? Numbering : "") + pattern), slots));
        }
        string Optional(string word) => $"(?:{Spaced(word)}\\s*)?";

        Row("newlyReceived", Spaced("本年新收"));
        Row("carriedOver", Spaced("上年结转"));
        Row("granted", Spaced("予以公开"));
        Row("partiallyGranted", Spaced("部分公开"));
        Row("denied.stateSecret", Optional("属于") + Spaced("国家秘密"));
        Row("denied.prohibitedByLaw", Spaced("其他法律") + OptionalSeparator + Spaced("行政法规禁止"));
        Row("denied.endangersSecurity", Spaced("危及") + @"[\s""“”'‘’「」『』]*" + Spaced("三安全一稳定"));
        Row("denied.thirdPartyRights", Spaced("保护第三方"));
        Row("denied.internalAffairs", Optional("属于") + Spaced("三类内部事务"));
        Row("denied.processInformation", Optional("属于") + Spaced("四类过程性"));
        Row("denied.enforcementCaseFile", Optional("属于") + Spaced("行政执法案卷"));
        Row("denied.administrativeQuery", Optional("属于") + Spaced("行政查询事项"));
        Row("unableToProvide.notHeld", Spaced("本机关不掌握"));
        Row("unableToProvide.needsCreation", Spaced("没有现成信息"));
        Row("unableToProvide.unclearAfterCorrection", Spaced("补正后申请内容"));
        Row("notProcessed.petitionComplaint", Spaced("信访举报投诉"));
        Row("notProcessed.duplicate", Spaced("重复申请"));
        Row("notProcessed.publication", Spaced("要求提供公开出版"));
        Row("notProcessed.excessive", Spaced("无正当理由大量反复"));
        Row("notProcessed.confirmOrReissue", Spaced("要求行政机关确认"));
        if (edition == Edition.Edition2019)
        {
            Row("otherHandling", Spaced("其他处理"));
        }
        else
        {
            Row("otherHandling.noCorrection", Spaced("申请人无正当理由逾期"));
            Row("otherHandling.feeUnpaid", Spaced("申请人逾期未按收费"));
            // "其他" alone is also a column header and the start of other labels: only the numbered sub-row counts.
            Row("otherHandling.other", @"(?:3|三)\s*[、.,]\s*" + Spaced("其他") + @"(?!\s*(?:结|法|处|对|需))", numbered: false);
        }
        Row("totalHandled", Spaced("总计"));
        Row("carriedForward", Spaced("结转下年度继续办理"));
        return rows;
    }

    // A row's own numbering: "一、" "4." "(七)" "3、". A single digit only, so "…00000002.其他法律" leaves the zeros.
    private const string Numbering =
        @"(?:(?:[一二三四五六七八九十]{1,2}|[1-9])\s*[、.,:]\s*|\(\s*(?:[一二三四五六七八九十]{1,2}|[1-9])\s*\)\s*)?";

    // An optional 、 between two words, the spaces around it taken whole (atomic): "\s*[、,]?\s*" backtracks over
    // every split of a long run of spaces.
    private const string OptionalSeparator = @"(?>\s*)(?:[、,](?>\s*))?";

    /// <summary>A literal label that may be printed with spaces or line breaks between its characters.</summary>
    public static string Spaced(string literal)
    {
        var pattern = new StringBuilder(literal.Length * 4);
        foreach (var c in literal)
        {
            if (pattern.Length > 0)
            {
                pattern.Append(@"\s*");
            }
            pattern.Append(Regex.Escape(c.ToString()));
        }
        return pattern.ToString();
    }

    // Built from the row list, so these cannot be [GeneratedRegex]; compiled once per process.
    private static Regex Compile(string pattern) => new(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

    /// <summary>三、收到和处理政府信息公开申请情况, numbered loosely ("3、").</summary>
    [GeneratedRegex(@"(?:(?:三|3)\s*[、.,]\s*)?收\s*到\s*和\s*处\s*理\s*政\s*府\s*信\s*息\s*公\s*开\s*申\s*请", RegexOptions.CultureInvariant)]
    public static partial Regex ApplicationsHeading();

    /// <summary>四、政府信息公开行政复议、行政诉讼情况.</summary>
    [GeneratedRegex(@"(?:(?:四|4)\s*[、.,]\s*)?(?:政\s*府\s*信\s*息\s*公\s*开\s*)?行\s*政\s*复\s*议(?>\s*)(?:[、,](?>\s*))?行\s*政\s*诉\s*讼", RegexOptions.CultureInvariant)]
    public static partial Regex AppealsHeading();

    /// <summary>一、总体情况 (numbered: the introduction often lists "总体情况" among the parts).</summary>
    [GeneratedRegex(@"(?:一|1)\s*[、.,]\s*总\s*体\s*情\s*况", RegexOptions.CultureInvariant)]
    public static partial Regex OverviewHeading();

    /// <summary>二、主动公开政府信息情况 (numbered: "(一)主动公开政府信息情况" is often a paragraph of 一).</summary>
    [GeneratedRegex(@"(?<!\()(?:二|2)\s*[、.,]\s*主\s*动\s*公\s*开\s*政\s*府\s*信\s*息", RegexOptions.CultureInvariant)]
    public static partial Regex ProactiveHeading();

    /// <summary>五、存在的主要问题及改进情况 (also "…及整改措施", "政府信息公开工作存在的主要问题"), the whole heading.</summary>
    // The spaces around the optional 的 are taken whole (atomic): two runs of \s* side by side backtrack over every split.
    [GeneratedRegex(@"(?:(?:五|5)\s*[、.,]\s*)?(?:政\s*府\s*信\s*息\s*公\s*开\s*工\s*作\s*)?存\s*在(?>\s*)(?:的(?>\s*))?主\s*要\s*问\s*题(?:\s*及\s*(?:改\s*进|整\s*改)\s*(?:情\s*况|措\s*施))?", RegexOptions.CultureInvariant)]
    public static partial Regex ProblemsHeading();

    /// <summary>六、其他需要报告的事项.</summary>
    [GeneratedRegex(@"(?:(?:六|6)\s*[、.,]\s*)?其\s*他\s*需\s*要\s*报\s*告\s*的\s*事\s*项", RegexOptions.CultureInvariant)]
    public static partial Regex OtherMattersHeading();
}
