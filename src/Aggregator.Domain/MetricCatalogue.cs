using System.Collections.Frozen;

namespace Aggregator.Domain;

/// <summary>
/// Every numeric field of both template editions. The ids are storage keys: append new metrics with new ids,
/// never reuse or renumber one (a test pins the list).
/// </summary>
public static class MetricCatalogue
{
    private static readonly Edition[] Both = [Edition.Edition2019, Edition.Edition2021];
    private static readonly Edition[] Only2019 = [Edition.Edition2019];
    private static readonly Edition[] Only2021 = [Edition.Edition2021];

    // Declared before All: static fields initialise in order.
    /// <summary>The five fields of each appeals block, in template order.</summary>
    public static readonly IReadOnlyList<(string Key, string Label)> AppealFields =
    [
        ("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计"),
    ];

    public static readonly IReadOnlyList<Metric> All = Build();

    private static readonly FrozenDictionary<string, Metric> byCode = All.ToFrozenDictionary(m => m.Code, StringComparer.Ordinal);
    private static readonly FrozenDictionary<short, Metric> byId = All.ToFrozenDictionary(m => m.Id);

    /// <summary>Chinese labels of the groups above the fields (parts, rows of part 二, blocks of part 四).</summary>
    public static readonly IReadOnlyDictionary<string, string> GroupLabels = new Dictionary<string, string>
    {
        ["proactive"] = "主动公开政府信息情况",
        ["proactive.regulations"] = "规章",
        ["proactive.normativeDocuments"] = "规范性文件",
        ["proactive.licensing"] = "行政许可",
        ["proactive.otherServices"] = "其他对外管理服务事项",
        ["proactive.penalty"] = "行政处罚",
        ["proactive.coercion"] = "行政强制",
        ["proactive.fees"] = "行政事业性收费",
        ["proactive.procurement"] = "政府集中采购",
        ["applications"] = "收到和处理政府信息公开申请情况",
        ["applications.denied"] = "不予公开",
        ["applications.unableToProvide"] = "无法提供",
        ["applications.notProcessed"] = "不予处理",
        ["applications.otherHandling"] = "其他处理",
        ["appeals"] = "政府信息公开行政复议、行政诉讼情况",
        ["appeals.review"] = "行政复议",
        ["appeals.litigationDirect"] = "行政诉讼 未经复议直接起诉",
        ["appeals.litigationAfterReview"] = "行政诉讼 复议后起诉",
    }.ToFrozenDictionary();

    public static Metric? Find(string code) => byCode.GetValueOrDefault(code);

    public static Metric Get(string code) =>
        byCode.TryGetValue(code, out var metric) ? metric : throw new KeyNotFoundException($"No metric '{code}'.");

    public static Metric? Find(short id) => byId.GetValueOrDefault(id);

    /// <summary>The metrics whose fields a document of this edition carries, in template order.</summary>
    public static IEnumerable<Metric> FieldsOf(Edition edition) => All.Where(m => m.IsFieldOf(edition));

    private static Metric[] Build()
    {
        var list = new List<Metric>();
        void Count(short id, string code, string label, Edition[] editions, bool negative = false) =>
            list.Add(new Metric(id, code, label, editions, MetricUnit.Count, HasApplicants: false, MayBeNegative: negative));
        void Money(short id, string code, string label, Edition[] editions) =>
            list.Add(new Metric(id, code, label, editions, MetricUnit.WanYuan, HasApplicants: false));
        void Row(short id, string code, string label, Edition[] editions, Edition? derivedIn = null) =>
            list.Add(new Metric(id, code, label, editions, MetricUnit.Count, HasApplicants: true, DerivedIn: derivedIn));

        // Part 二, 2021 edition.
        Count(1, "proactive.regulations.issued", "规章 本年制发件数", Only2021);
        Count(2, "proactive.regulations.repealed", "规章 本年废止件数", Only2021);
        Count(3, "proactive.regulations.inForce", "规章 现行有效件数", Only2021);
        Count(4, "proactive.normativeDocuments.issued", "行政规范性文件 本年制发件数", Only2021);
        Count(5, "proactive.normativeDocuments.repealed", "行政规范性文件 本年废止件数", Only2021);
        Count(6, "proactive.normativeDocuments.inForce", "行政规范性文件 现行有效件数", Only2021);
        Money(7, "proactive.fees.amount", "行政事业性收费 本年收费金额（单位：万元）", Only2021);

        // Part 二, 2019 edition.
        Count(20, "proactive.regulations.newlyMade", "规章 本年新制作数量", Only2019);
        Count(21, "proactive.regulations.newlyPublished", "规章 本年新公开数量", Only2019);
        Count(22, "proactive.regulations.publishedTotal", "规章 对外公开总数量", Only2019);
        Count(23, "proactive.normativeDocuments.newlyMade", "规范性文件 本年新制作数量", Only2019);
        Count(24, "proactive.normativeDocuments.newlyPublished", "规范性文件 本年新公开数量", Only2019);
        Count(25, "proactive.normativeDocuments.publishedTotal", "规范性文件 对外公开总数量", Only2019);
        Count(26, "proactive.licensing.itemsLastYear", "行政许可 上一年项目数量", Only2019);
        Count(27, "proactive.licensing.itemsChange", "行政许可 本年增/减", Only2019, negative: true);
        Count(28, "proactive.otherServices.itemsLastYear", "其他对外管理服务事项 上一年项目数量", Only2019);
        Count(29, "proactive.otherServices.itemsChange", "其他对外管理服务事项 本年增/减", Only2019, negative: true);
        Count(30, "proactive.otherServices.decisions", "其他对外管理服务事项 处理决定数量", Only2019);
        Count(31, "proactive.penalty.itemsLastYear", "行政处罚 上一年项目数量", Only2019);
        Count(32, "proactive.penalty.itemsChange", "行政处罚 本年增/减", Only2019, negative: true);
        Count(33, "proactive.coercion.itemsLastYear", "行政强制 上一年项目数量", Only2019);
        Count(34, "proactive.coercion.itemsChange", "行政强制 本年增/减", Only2019, negative: true);
        Count(35, "proactive.fees.itemsLastYear", "行政事业性收费 上一年项目数量", Only2019);
        Count(36, "proactive.fees.itemsChange", "行政事业性收费 本年增/减", Only2019, negative: true);
        Count(37, "proactive.procurement.projects", "政府集中采购 采购项目数量", Only2019);
        Money(38, "proactive.procurement.amount", "政府集中采购 采购总金额", Only2019);

        // Part 二, both editions: the only proactive fields that mean the same in both.
        Count(10, "proactive.licensing.decisions", "行政许可 处理决定数量", Both);
        Count(11, "proactive.penalty.decisions", "行政处罚 处理决定数量", Both);
        Count(12, "proactive.coercion.decisions", "行政强制 处理决定数量", Both);

        // Part 三: one cell per applicant column.
        Row(50, "applications.newlyReceived", "本年新收政府信息公开申请数量", Both);
        Row(51, "applications.carriedOver", "上年结转政府信息公开申请数量", Both);
        Row(52, "applications.granted", "予以公开", Both);
        Row(53, "applications.partiallyGranted", "部分公开", Both);
        Row(54, "applications.denied.stateSecret", "不予公开 属于国家秘密", Both);
        Row(55, "applications.denied.prohibitedByLaw", "不予公开 其他法律行政法规禁止公开", Both);
        Row(56, "applications.denied.endangersSecurity", "不予公开 危及“三安全一稳定”", Both);
        Row(57, "applications.denied.thirdPartyRights", "不予公开 保护第三方合法权益", Both);
        Row(58, "applications.denied.internalAffairs", "不予公开 属于三类内部事务信息", Both);
        Row(59, "applications.denied.processInformation", "不予公开 属于四类过程性信息", Both);
        Row(60, "applications.denied.enforcementCaseFile", "不予公开 属于行政执法案卷", Both);
        Row(61, "applications.denied.administrativeQuery", "不予公开 属于行政查询事项", Both);
        Row(62, "applications.unableToProvide.notHeld", "无法提供 本机关不掌握相关政府信息", Both);
        Row(63, "applications.unableToProvide.needsCreation", "无法提供 没有现成信息需要另行制作", Both);
        Row(64, "applications.unableToProvide.unclearAfterCorrection", "无法提供 补正后申请内容仍不明确", Both);
        Row(65, "applications.notProcessed.petitionComplaint", "不予处理 信访举报投诉类申请", Both);
        Row(66, "applications.notProcessed.duplicate", "不予处理 重复申请", Both);
        Row(67, "applications.notProcessed.publication", "不予处理 要求提供公开出版物", Both);
        Row(68, "applications.notProcessed.excessive", "不予处理 无正当理由大量反复申请", Both);
        Row(69, "applications.notProcessed.confirmOrReissue", "不予处理 要求行政机关确认或重新出具已获取信息", Both);
        Row(70, "applications.otherHandling", "其他处理", Both, derivedIn: Edition.Edition2021);
        Row(71, "applications.otherHandling.noCorrection", "其他处理 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", Only2021);
        Row(72, "applications.otherHandling.feeUnpaid", "其他处理 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", Only2021);
        Row(73, "applications.otherHandling.other", "其他处理 其他", Only2021);
        Row(74, "applications.totalHandled", "总计", Both);
        Row(75, "applications.carriedForward", "结转下年度继续办理", Both);

        // Part 四.
        short id = 90;
        foreach (var (block, blockLabel) in new[]
                 {
                     ("review", "行政复议"),
                     ("litigationDirect", "行政诉讼 未经复议直接起诉"),
                     ("litigationAfterReview", "行政诉讼 复议后起诉"),
                 })
        {
            foreach (var (field, fieldLabel) in AppealFields)
            {
                Count(id++, $"appeals.{block}.{field}", $"{blockLabel} {fieldLabel}", Both);
            }
        }

        return SortInTemplateOrder(list);
    }

    // Template order: part 二 row by row as printed, then 三, then 四. Ids are storage keys and say nothing about order.
    private static Metric[] SortInTemplateOrder(List<Metric> list)
    {
        string[] proactiveRows = ["regulations", "normativeDocuments", "licensing", "otherServices", "penalty", "coercion", "fees", "procurement"];
        string[] fieldOrder = ["issued", "repealed", "inForce", "newlyMade", "newlyPublished", "publishedTotal", "itemsLastYear", "itemsChange", "decisions", "projects", "amount"];
        int Rank(Metric m)
        {
            var parts = m.Code.Split('.');
            return parts[0] switch
            {
                "proactive" => Array.IndexOf(proactiveRows, parts[1]) * 100 + Array.IndexOf(fieldOrder, parts[2]),
                "applications" => 10_000 + m.Id,
                _ => 20_000 + m.Id,
            };
        }
        return list.OrderBy(Rank).ToArray();
    }
}
