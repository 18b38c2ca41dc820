using Aggregator.Domain;
using Aggregator.Importer.Reading;

namespace Aggregator.Importer.Tests;

/// <summary>
/// Issue #13: a minus belongs to the number that follows it. The one wrong cell measured on unseen reports was a
/// 2019-edition 本年增/减 printed against the number before it ("行政事业性收费12-3": 12 items last year, change −3)
/// and read as +3. No cut of glued digits drops a sign or invents one; a dash that may be a sign or a blank cell's
/// dash leaves its row blank with a blocking diagnostic.
/// </summary>
public sealed class SignTests
{
    /// <summary>A 2019-edition report as a crawler stores it (cells glued on one line), made by hand after pingtan-2022.txt; part 二 comes from the test.</summary>
    private static string GluedReport2019(string proactive) =>
        "某县交通运输局2020年政府信息公开工作年度报告 一、总体情况 2020年，本局认真执行《条例》。 二、主动公开政府信息情况"
        + "第二十条第（一）项 信息内容 本年新制作数量 本年新公开数量 对外公开总数量 " + proactive
        + " 三、收到和处理政府信息公开申请情况 申请人情况 自然人 法人或其他组织 总计 商业企业 科研机构 社会公益组织 法律服务机构 其他 "
        + "一、本年新收政府信息公开申请数量 1000001二、上年结转政府信息公开申请数量 0000000三、本年度办理结果 （一）予以公开 1000001"
        + "（二）部分公开（区分处理的，只计这一情形，不计其他情形） 0000000（三）不予公开 1.属于国家秘密00000002.其他法律行政法规禁止公开 0000000"
        + "3.危及“三安全一稳定” 00000004.保护第三方合法权益 00000005.属于三类内部事务信息 00000006.属于四类过程性信息 0000000"
        + "7.属于行政执法案卷 00000008.属于行政查询事项 0000000（四）无法提供 1.本机关不掌握相关政府信息 00000002.没有现成信息需要另行制作 0000000"
        + "3.补正后申请内容仍不明确 0000000（五）不予处理 1.信访举报投诉类申请 00000002.重复申请 00000003.要求提供公开出版物 0000000"
        + "4.无正当理由大量反复申请 00000005.要求行政机关确认或重新出具已获取信息 0000000（六）其他处理 0000000（七）总计 1000001"
        + "四、结转下年度继续办理 0000000 四、政府信息公开行政复议、行政诉讼情况 行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 "
        + "000000000000000 五、存在的主要问题及改进情况 人手不足。 六、其他需要报告的事项 无。";

    private const string Part2 =
        "规章000规范性文件000第二十条第（五）项 信息内容 上一年项目数量 本年增/减 处理决定数量 行政许可000其他对外管理服务事项000"
        + "第二十条第（六）项 信息内容 上一年项目数量 本年增/减 处理决定数量 行政处罚000行政强制000"
        + "第二十条第（八）项 信息内容 上一年项目数量 本年增/减 行政事业性收费12-3"
        + "第二十条第（九）项 信息内容 采购项目数量 采购总金额 政府集中采购00";

    [Fact]
    public void A_minus_glued_to_the_number_before_it_belongs_to_the_change()
    {
        var result = ReportImporter.ImportText(GluedReport2019(Part2));

        Assert.Equal(Edition.Edition2019, result.Document!.Edition);
        Assert.Equal(12m, result.Document.Get("proactive.fees.itemsLastYear"));
        Assert.Equal(-3m, result.Document.Get("proactive.fees.itemsChange"));
        Assert.False(result.HasBlockingDiagnostics, string.Join("\n", result.Diagnostics.Select(d => $"{d.Path}: {d.Reason}")));
    }

    [Theory]
    // The minus may go with the change (12 | −3 | 0) or the digits before it be two cells (1 | 2 | −30): part 二 has no sum to choose.
    [InlineData("行政许可000", "行政许可12-30", "proactive.licensing", "2 ways")]
    // "12-" before words: a minus whose number is lost, or a dash for a blank change.
    [InlineData("行政事业性收费12-3", "行政事业性收费12-", "proactive.fees", "minus sign")]
    // An em dash is not a minus: "12—3" is 12, a blank dash and 3, or 12 and −3 typeset with a dash.
    [InlineData("行政事业性收费12-3", "行政事业性收费12—3", "proactive.fees", "minus sign")]
    // A dash standing apart before a number: its sign, or a blank cell before it.
    [InlineData("行政处罚000", "行政处罚 5 - 3", "proactive.penalty", "minus sign")]
    public void A_sign_that_could_belong_to_more_than_one_cell_leaves_them_blank_with_a_diagnostic(string printed, string replacement, string row, string reason)
    {
        var text = GluedReport2019(Part2.Replace(printed, replacement));

        var result = ReportImporter.ImportText(text);

        var blocked = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Blocking && d.Path.StartsWith(row + ".", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(blocked);
        Assert.All(blocked, d => Assert.Null(result.Document!.Get(d.Path)));
        Assert.Contains(blocked, d => d.Reason.Contains(reason));
        // No cell of the row holds a value read with the sign dropped.
        Assert.DoesNotContain(result.Document!.Fields, c => c.Path.StartsWith(row + ".", StringComparison.Ordinal) && c.Value is 3m or 30m);
    }

    [Fact]
    public void A_negative_number_in_a_count_is_blank_with_a_diagnostic()
    {
        var result = ReportImporter.ImportText(GluedReport2019(Part2.Replace("行政处罚000", "行政处罚15-3-2")));

        Assert.Equal(15m, result.Document!.Get("proactive.penalty.itemsLastYear"));
        Assert.Equal(-3m, result.Document.Get("proactive.penalty.itemsChange"));
        Assert.Null(result.Document.Get("proactive.penalty.decisions"));
        Assert.Contains(result.Diagnostics, d => d is { Path: "proactive.penalty.decisions", Severity: DiagnosticSeverity.Blocking });
    }

    [Fact]
    public void A_cut_never_drops_the_minus_or_gives_it_to_another_cell()
    {
        var cuts = GlueSplitter.Splits(["12", "-30"], 3, _ => true)!;

        Assert.Equal(2, cuts.Count);
        Assert.Contains(cuts, c => c.SequenceEqual([12L, -3, 0]));
        Assert.Contains(cuts, c => c.SequenceEqual([1L, 2, -30]));
        Assert.Equal([-3L, 0], Assert.Single(GlueSplitter.Splits(["-30"], 2, _ => true)!));
        Assert.Empty(GlueSplitter.Splits(["-03"], 1, _ => true)!);
        Assert.All(GlueSplitter.Splits(["1203"], 3, _ => true)!, cut => Assert.All(cut, v => Assert.True(v >= 0)));
    }

    [Fact]
    public void A_negative_change_in_its_own_cell_reads_as_printed()
    {
        var seed = Fixtures.Read(Fixtures.Seed, "txt");
        var edited = seed.Replace("\t行政事业性收费\n\t\n\t", "\t行政事业性收费\n\t12\n\t－3");
        Assert.NotEqual(seed, edited);

        var result = ReportImporter.ImportText(edited);

        Assert.Equal(12m, result.Document!.Get("proactive.fees.itemsLastYear"));
        Assert.Equal(-3m, result.Document.Get("proactive.fees.itemsChange"));
    }
}
