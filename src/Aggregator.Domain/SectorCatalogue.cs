namespace Aggregator.Domain;

/// <summary>A line of government work: the agency's sector (交通运输 transport, 公安 public-security …).</summary>
/// <param name="Keywords">Words in an agency's name that mark the sector, used to propose it.</param>
public sealed record Sector(string Code, string Name, IReadOnlyList<string> Keywords);

/// <summary>The fixed list of sectors agencies are registered under. Codes are stable; names follow the current departments.</summary>
public static class SectorCatalogue
{
    public static readonly IReadOnlyList<Sector> All =
    [
        new("government", "人民政府", ["人民政府", "政府办公室", "政府办公厅", "管委会", "管理委员会", "行政公署"]),
        new("development-reform", "发展和改革", ["发展和改革", "发展改革", "发改"]),
        new("education", "教育", ["教育"]),
        new("science-technology", "科学技术", ["科学技术", "科技"]),
        new("industry-it", "工业和信息化", ["工业和信息化", "经济和信息化", "工信", "经信"]),
        new("ethnic-religious", "民族宗教", ["民族宗教", "民族事务", "宗教事务"]),
        new("public-security", "公安", ["公安"]),
        new("civil-affairs", "民政", ["民政"]),
        new("justice", "司法", ["司法"]),
        new("finance", "财政", ["财政"]),
        new("human-resources", "人力资源和社会保障", ["人力资源和社会保障", "人力资源", "人社"]),
        new("natural-resources", "自然资源", ["自然资源", "国土资源", "规划和自然资源"]),
        new("ecology-environment", "生态环境", ["生态环境", "环境保护"]),
        new("housing-construction", "住房和城乡建设", ["住房和城乡建设", "城乡建设", "住建"]),
        new("transport", "交通运输", ["交通运输", "交通"]),
        new("water", "水利", ["水利", "水务"]),
        new("agriculture", "农业农村", ["农业农村", "农业", "畜牧"]),
        new("commerce", "商务", ["商务"]),
        new("culture-tourism", "文化和旅游", ["文化和旅游", "文化广电", "文旅", "旅游"]),
        new("health", "卫生健康", ["卫生健康", "卫生和计划生育", "卫健", "卫生"]),
        new("veterans", "退役军人事务", ["退役军人"]),
        new("emergency", "应急管理", ["应急管理", "安全生产监督"]),
        new("audit", "审计", ["审计"]),
        new("state-assets", "国有资产监督管理", ["国有资产监督管理", "国资"]),
        new("market-regulation", "市场监督管理", ["市场监督管理", "市场监管", "工商行政管理", "质量技术监督"]),
        new("sports", "体育", ["体育"]),
        new("statistics", "统计", ["统计"]),
        new("medical-security", "医疗保障", ["医疗保障", "医保"]),
        new("forestry-grassland", "林业和草原", ["林业和草原", "林业", "草原"]),
        new("urban-management", "城市管理", ["城市管理", "综合行政执法", "城管"]),
        new("government-services", "政务服务和数据管理", ["政务服务", "行政审批", "大数据", "数据管理"]),
        new("taxation", "税务", ["税务"]),
        new("petitions", "信访", ["信访"]),
        new("radio-television", "广播电视", ["广播电视"]),
        new("intellectual-property", "知识产权", ["知识产权"]),
        new("drug-administration", "药品监督管理", ["药品监督管理", "药品"]),
        new("grain-reserves", "粮食和物资储备", ["粮食和物资储备", "粮食"]),
        new("energy", "能源", ["能源"]),
        new("cyberspace", "网信", ["网信", "互联网信息"]),
        new("archives", "档案", ["档案"]),
        new("meteorology", "气象", ["气象"]),
        new("fire-rescue", "消防救援", ["消防救援", "消防"]),
        new("housing-fund", "住房公积金", ["住房公积金", "公积金"]),
        new("other", "其他", []),
    ];

    private static readonly Dictionary<string, Sector> byCode = All.ToDictionary(s => s.Code);

    public static Sector? Find(string? code) => code is null ? null : byCode.GetValueOrDefault(code);

    /// <summary>The sector an agency's name points to (the longest keyword found), or null when none fits.</summary>
    public static Sector? Propose(string? agencyName)
    {
        if (string.IsNullOrWhiteSpace(agencyName))
        {
            return null;
        }
        return All
            .SelectMany(sector => sector.Keywords.Where(agencyName.Contains).Select(keyword => (sector, keyword.Length)))
            .OrderByDescending(match => match.Length)
            .Select(match => match.sector)
            .FirstOrDefault();
    }
}
