using System.Text;
using System.Text.Json.Nodes;

using Aggregator.Tests;

namespace Aggregator.Domain.Tests;

public class ReportDocumentJsonTests
{
    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Every_fixture_reads_and_writes_back_cell_for_cell(string name)
    {
        var expected = ReportFixtures.Expected(name)["document"]!;
        var document = ReportFixtures.Document(name);

        var written = JsonNode.Parse(ReportDocumentJson.Serialize(document))!;

        var expectedLeaves = ReportFixtures.Leaves(expected);
        Assert.Equal(expectedLeaves, ReportFixtures.Leaves(written));
        Assert.Equal(document.Fields.Count(), expectedLeaves.Count);
    }

    public static TheoryData<string> FixtureNames() => new(ReportFixtures.Names);

    [Fact]
    public void Blank_and_zero_stay_apart()
    {
        var seed = ReportFixtures.Document("wusu-transport-2020");

        Assert.Null(seed.Get("applications.newlyReceived", Applicant.NaturalPerson));
        Assert.Equal(0m, seed.Get("applications.newlyReceived", Applicant.Total));
        Assert.Equal(15m, seed.Get("proactive.penalty.itemsLastYear"));
        Assert.Equal(0m, seed.Get("proactive.penalty.decisions"));
        Assert.Null(seed.Get("proactive.fees.itemsLastYear"));
    }

    [Fact]
    public void Equal_documents_hash_equal_whatever_their_formatting()
    {
        var compact = ReportFixtures.DocumentJson("pingtan-2021");
        var indented = JsonNode.Parse(compact)!.ToJsonString(new() { WriteIndented = true })
            .Replace("24252.311082", "24252.3110820");

        var a = ReportDocumentJson.Parse(Encoding.UTF8.GetBytes(compact)).Document!;
        var b = ReportDocumentJson.Parse(Encoding.UTF8.GetBytes(indented)).Document!;

        Assert.Equal(ReportDocumentJson.ContentHash(a), ReportDocumentJson.ContentHash(b));
        b.Set("proactive.penalty.decisions", null, 1283);
        Assert.NotEqual(ReportDocumentJson.ContentHash(a), ReportDocumentJson.ContentHash(b));
    }

    [Theory]
    [InlineData("applications.granted.total", "-1", "$.applications.granted.total", "R7")]
    [InlineData("proactive.fees.amount", "-0.5", "$.proactive.fees.amount", "R7")]
    [InlineData("applications.granted.total", "1.5", "$.applications.granted.total", "whole number")]
    [InlineData("applications.granted.total", "\"3\"", "$.applications.granted.total", "number or null")]
    [InlineData("proactive.fees.amount", "1.1234567", "$.proactive.fees.amount", "6 decimals")]
    [InlineData("appeals.review", "7", "$.appeals.review", "object")]
    public void Hard_errors_name_the_path(string path, string json, string errorPath, string says)
    {
        var body = Replace(ReportFixtures.DocumentJson("pingtan-2021"), path, JsonNode.Parse(json));

        var result = ReportDocumentJson.Parse(Encoding.UTF8.GetBytes(body));

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(errorPath, error.Path);
        Assert.Contains(says, error.Message);
    }

    [Fact]
    public void A_negative_change_is_allowed_in_the_2019_edition()
    {
        var body = Replace(ReportFixtures.DocumentJson("wusu-transport-2020"), "proactive.penalty.itemsChange", JsonValue.Create(-2));

        var result = ReportDocumentJson.Parse(Encoding.UTF8.GetBytes(body));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(-2m, result.Document!.Get("proactive.penalty.itemsChange"));
    }

    [Fact]
    public void Missing_rows_unknown_fields_and_wrong_edition_shapes_are_all_reported()
    {
        var doc = JsonNode.Parse(ReportFixtures.DocumentJson("wusu-transport-2020"))!.AsObject();
        doc["applications"]!.AsObject().Remove("carriedForward");
        doc["applications"]!["granted"]!.AsObject().Remove("research");
        doc["applications"]!["granted"]!["researchers"] = 1;
        doc["proactive"]!["penalty"]!["issued"] = 3;
        doc["extra"] = "x";

        var result = ReportDocumentJson.Parse(Encoding.UTF8.GetBytes(doc.ToJsonString()));

        var paths = result.Errors.Select(e => e.Path).Order().ToArray();
        Assert.Equal(
            ["$.applications.carriedForward", "$.applications.granted.research", "$.applications.granted.researchers", "$.extra", "$.proactive.penalty.issued"],
            paths);
    }

    [Theory]
    [InlineData("{}", "$.edition")]
    [InlineData("{\"edition\":\"2020\"}", "$.edition")]
    [InlineData("[1]", "$")]
    [InlineData("{\"edition\":", "$")]
    public void Unreadable_documents_say_why(string body, string path)
    {
        var result = ReportDocumentJson.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(path, Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void The_2021_other_handling_metric_is_the_sum_of_its_three_rows()
    {
        var document = new ReportDocument(Edition.Edition2021);
        Assert.Null(document.Get("applications.otherHandling", Applicant.Total));

        document.Set("applications.otherHandling.noCorrection", Applicant.Total, 2);
        document.Set("applications.otherHandling.other", Applicant.Total, 5);

        Assert.Equal(7m, document.Get("applications.otherHandling", Applicant.Total));
        Assert.Throws<ArgumentException>(() => document.Set("applications.otherHandling", Applicant.Total, 1));
    }

    private static string Replace(string json, string path, JsonNode? value)
    {
        var root = JsonNode.Parse(json)!;
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!;
        }
        parent[parts[^1]] = value;
        return root.ToJsonString();
    }
}
