using Aggregator.Tests;

namespace Aggregator.Domain.Tests;

public class ConsistencyRulesTests
{
    [Fact]
    public void The_seed_breaks_R1_in_the_total_column_only()
    {
        var findings = ConsistencyRules.Check(ReportFixtures.Document("wusu-transport-2020"));

        var finding = Assert.Single(findings);
        Assert.Equal("R1", finding.Rule);
        Assert.Equal("applications.totalHandled.total", finding.Path);
        Assert.Contains("newlyReceived 0 + carriedOver 0 != totalHandled 10 + carriedForward 0", finding.Message);
    }

    [Fact]
    public void A_finding_names_the_cells_its_rule_reads_with_their_values()
    {
        var seed = ReportFixtures.Document("wusu-transport-2020");
        var r1 = ConsistencyRules.CellsOf(Assert.Single(ConsistencyRules.Check(seed)), seed);
        Assert.Equal(["applications.newlyReceived.total", "applications.carriedOver.total", "applications.totalHandled.total", "applications.carriedForward.total"],
            r1.Select(c => c.Path));
        Assert.Equal([0m, 0m, 10m, 0m], r1.Select(c => c.Value));

        var broken = ReportFixtures.Document("pingtan-2021");
        broken.Set("appeals.litigationDirect.total", null, 7);
        var r4 = ConsistencyRules.CellsOf(Assert.Single(ConsistencyRules.Check(broken)), broken);
        Assert.Equal(new[] { "upheld", "corrected", "other", "pending", "total" }.Select(f => $"appeals.litigationDirect.{f}"), r4.Select(c => c.Path));
        Assert.Equal(7m, r4[^1].Value);

        broken.Set("applications.denied.stateSecret", Applicant.Commercial, 2); // R2 on the row, R3 in the column
        var findings = ConsistencyRules.Check(broken);
        var r2 = ConsistencyRules.CellsOf(findings.Single(f => f.Rule == "R2"), broken);
        Assert.Equal(Applicants.All.Select(a => $"applications.denied.stateSecret.{a.Key()}"), r2.Select(c => c.Path));
        var r3 = ConsistencyRules.CellsOf(findings.Single(f => f.Rule == "R3"), broken);
        Assert.Equal(1 + ConsistencyRules.OutcomeRows(Edition.Edition2021).Count, r3.Count);
        Assert.Equal("applications.totalHandled.commercial", r3[0].Path);
        Assert.Contains(r3, c => c.Path == "applications.denied.stateSecret.commercial" && c.Value == 2m);

        var carried = new Finding("R5", FindingSeverity.Info, "", "applications.carriedOver.total");
        Assert.Equal(["applications.carriedOver.total"], ConsistencyRules.CellsOf(carried, broken).Select(c => c.Path));
        Assert.Empty(ConsistencyRules.CellsOf(new Finding("R1", FindingSeverity.Warning, "", "no.such.path"), broken));
    }

    [Theory]
    [InlineData("shuyang-fgj-2023")]
    [InlineData("huaian-szf-2024")]
    [InlineData("pingtan-2021")]
    public void Consistent_fixtures_have_no_findings(string name)
    {
        Assert.Empty(ConsistencyRules.Check(ReportFixtures.Document(name)));
    }

    [Fact]
    public void R2_R3_R4_catch_broken_sums()
    {
        var document = ReportFixtures.Document("pingtan-2021");
        document.Set("applications.granted", Applicant.NaturalPerson, document.Get("applications.granted", Applicant.NaturalPerson) + 1);
        document.Set("appeals.review.pending", null, document.Get("appeals.review.pending") + 4);

        var rules = ConsistencyRules.Check(document).Select(f => (f.Rule, f.Path)).ToArray();

        Assert.Contains(("R2", "applications.granted.total"), rules);
        Assert.Contains(("R3", "applications.totalHandled.naturalPerson"), rules);
        Assert.Contains(("R4", "appeals.review.total"), rules);
    }

    [Fact]
    public void Rules_whose_cells_are_all_blank_are_skipped()
    {
        Assert.Empty(ConsistencyRules.Check(new ReportDocument(Edition.Edition2021)));
        Assert.Empty(ConsistencyRules.Check(new ReportDocument(Edition.Edition2019), new ReportDocument(Edition.Edition2019)));
    }

    [Fact]
    public void R5_and_R6_compare_with_the_previous_year()
    {
        var previous = ReportFixtures.Document("wusu-transport-2020");
        previous.Set("applications.carriedForward", Applicant.Total, 3);
        previous.Set("proactive.penalty.itemsChange", null, 2);
        var current = ReportFixtures.Document("wusu-transport-2020");

        var findings = ConsistencyRules.Check(current, previous).Where(f => f.Severity == FindingSeverity.Info).ToArray();

        Assert.Equal(["R5", "R6"], findings.Select(f => f.Rule).Order());
        Assert.Contains(findings, f => f.Path == "proactive.penalty.itemsLastYear" && f.Message.Contains("15 + itemsChange 2"));
    }
}
