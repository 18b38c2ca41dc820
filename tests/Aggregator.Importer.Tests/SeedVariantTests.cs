namespace Aggregator.Importer.Tests;

/// <summary>The seed report as other sites print it: each variant is made from the seed text and must import to the same document.</summary>
public sealed class SeedVariantTests
{
    private static readonly string Seed = Fixtures.Read(Fixtures.Seed, "txt");

    public static TheoryData<string> Variants => [.. Variations.Keys];

    private static readonly Dictionary<string, Func<string, string>> Variations = new()
    {
        ["ascii punctuation"] = text => ToAscii(text),
        ["full-width digits and punctuation"] = text => ToFullWidth(text),
        ["heading numbers 三、 not 3、, digits for the others"] = text => text
            .Replace("3、 收到和处理", "三、收到和处理")
            .Replace("一、总体情况", "1、总体情况")
            .Replace("二、主动公开政府信息情况", "2、主动公开政府信息情况")
            .Replace("四、政府信息公开行政复议", "4、政府信息公开行政复议")
            .Replace("五、存在的主要问题", "5、存在的主要问题")
            .Replace("六、其他需要报告的事项", "6.其他需要报告的事项"),
        ["行政规范性文件 for 规范性文件"] = text => text.Replace("\t规范性文件", "\t行政规范性文件"),
        ["headers broken inside words"] = text => text
            .Replace("\t本年新制作数量", "\t本年新\n制作数量")
            .Replace("\t法人或其他组织", "\t法人或\n其他组织")
            .Replace("\t商业企业", "\t商业\n企业")
            .Replace("\t结果维持", "\t结果\n维持"),
        ["CRLF line ends"] = text => text.Replace("\n", "\r\n"),
        ["site navigation before and after"] = text =>
            "首页 > 政务公开 > 政府信息公开 > 政府信息公开年报\n当前位置：首页 > 年报\n【字体：大 中 小】 打印本页 关闭窗口\n\n"
            + text
            + "\n\n上一篇：乌苏市交通运输局政府信息公开工作2019年度报告\n下一篇：无\n【打印本页】【关闭窗口】\n版权所有：乌苏市人民政府 网站标识码：6542020001 电话：0992-8512345\n",
        ["rows collapsed onto one line"] = text => text
            .Replace("\t二、上年结转政府信息公开申请数量\n\t\n\t\n\t\n\t\n\t\n\t\n\t0", "\t二、上年结转政府信息公开申请数量        0")
            .Replace("\t规章\n\t0\n\t0\n\t0", "\t规章    0    0    0"),
    };

    [Fact]
    public void Every_variant_changes_the_seed()
    {
        Assert.All(Variations, v => Assert.NotEqual(Seed, v.Value(Seed)));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_imports_to_the_seed_document(string variant)
    {
        var result = ReportImporter.ImportText(Variations[variant](Seed));

        FixtureTests.AssertExact(Fixtures.Seed, result);
        Assert.Equal("乌苏市交通运输局", result.AgencyName);
        Assert.Equal(2020, result.Year);
        Assert.Equal("R1", Assert.Single(result.Findings).Rule);
        var narrative = Fixtures.Expected(Fixtures.Seed)["narrative"]!;
        Assert.StartsWith(Fold(narrative["overviewStartsWith"]!.GetValue<string>()), Fold(result.Document!.Overview!));
        Assert.StartsWith(Fold(narrative["otherMattersStartsWith"]!.GetValue<string>()), Fold(result.Document.OtherMatters!));
        Assert.DoesNotContain("版权所有", result.Document.OtherMatters);
    }

    [Fact]
    public void All_variants_at_once_import_to_the_seed_document()
    {
        var text = Variations.Values.Aggregate(Seed, (current, vary) => vary(current));

        FixtureTests.AssertExact(Fixtures.Seed, ReportImporter.ImportText(text));
    }

    private static string Fold(string text) => text.Normalize(System.Text.NormalizationForm.FormKC);

    // Full-width forms (U+FF01–U+FF5E) to their ASCII twins.
    private static string ToAscii(string text) =>
        string.Concat(text.Select(c => c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c));

    private static string ToFullWidth(string text) =>
        string.Concat(text.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c));
}
