using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Tests;

namespace Aggregator.Api.Tests.Reports;

/// <summary>Every hard error is a 4xx problem naming what is at fault, and leaves nothing stored.</summary>
[Collection(ApiCollection.Name)]
public sealed class SubmissionErrorTests(ApiFactory api)
{
    private static string Edit(string name, Action<JsonObject> edit)
    {
        var document = JsonNode.Parse(ReportFixtures.DocumentJson(name))!.AsObject();
        edit(document);
        return document.ToJsonString();
    }

    public static TheoryData<string, string, string> InvalidDocuments() => new()
    {
        { "R7: a negative count", Edit("pingtan-2021", d => d["applications"]!["granted"]!["total"] = -3), "$.applications.granted.total" },
        { "R7: negative money", Edit("pingtan-2021", d => d["proactive"]!["fees"]!["amount"] = -1.5), "$.proactive.fees.amount" },
        { "a count as text", Edit("pingtan-2021", d => d["proactive"]!["penalty"]!["decisions"] = "1282"), "$.proactive.penalty.decisions" },
        { "a fractional count", Edit("wusu-transport-2020", d => d["appeals"]!["review"]!["total"] = 0.5), "$.appeals.review.total" },
        { "an unknown field", Edit("wusu-transport-2020", d => d["applications"]!["granted"]!["robots"] = 1), "$.applications.granted.robots" },
        { "a row missing for its edition", Edit("pingtan-2021", d => d["applications"]!["otherHandling"]!.AsObject().Remove("feeUnpaid")), "$.applications.otherHandling.feeUnpaid" },
        { "a 2019 row in a 2021 document", Edit("pingtan-2021", d => d["proactive"]!["procurement"] = new JsonObject { ["projects"] = 1, ["amount"] = 2 }), "$.proactive.procurement" },
        { "an unknown edition", Edit("pingtan-2021", d => d["edition"] = "2020"), "$.edition" },
        { "not JSON", "{\"edition\": \"2021\",", "$" },
    };

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public async Task An_invalid_document_is_refused_naming_its_path_and_nothing_is_stored(string why, string body, string path)
    {
        var admin = api.Admin();
        var agency = Http.Unique("bad");
        await admin.RegisterAgency(agency, "350128", "government");

        var problem = await (await admin.PutReport(agency, 2021, body)).Problem(HttpStatusCode.BadRequest);

        Assert.True(problem.ErrorKeys().Contains(path), $"{why}: expected an error at {path}, got {problem.ToJsonString()}");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/agencies/{agency}/reports/2021/revisions")).StatusCode);
    }

    [Theory]
    [InlineData(2018)]
    [InlineData(1999)]
    public async Task A_year_before_the_template_is_refused(int year)
    {
        var admin = api.Admin();
        var agency = Http.Unique("early");
        await admin.RegisterAgency(agency, "654202", "transport");

        var problem = await (await admin.PutReport(agency, year, ReportFixtures.DocumentJson("wusu-transport-2020"))).Problem(HttpStatusCode.BadRequest);

        Assert.Contains("year", problem.ErrorKeys());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/agencies/{agency}/reports/{year}/revisions")).StatusCode);
    }

    [Fact]
    public async Task A_year_not_yet_over_is_refused()
    {
        var admin = api.Admin();
        var agency = Http.Unique("future");
        await admin.RegisterAgency(agency, "350128", "government");

        foreach (var year in new[] { DateTime.UtcNow.Year, DateTime.UtcNow.Year + 1 })
        {
            var problem = await (await admin.PutReport(agency, year, ReportFixtures.DocumentJson("pingtan-2021"))).Problem(HttpStatusCode.BadRequest);
            Assert.Contains("completed calendar year", problem["errors"]!["year"]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_report_for_an_unknown_agency_is_404()
    {
        var problem = await (await api.Admin().PutReport("no-such-agency", 2021, ReportFixtures.DocumentJson("pingtan-2021"))).Problem(HttpStatusCode.NotFound);

        Assert.Contains("no-such-agency", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_over_1_MiB_is_413()
    {
        var admin = api.Admin();
        var agency = Http.Unique("big");
        await admin.RegisterAgency(agency, "350128", "government");
        var body = Edit("pingtan-2021", d => d["overview"] = new string('政', 400_000));

        await (await admin.PutReport(agency, 2021, body)).Problem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/agencies/{agency}/reports/2021")).StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    public async Task A_body_that_is_not_JSON_by_content_type_is_415(string contentType)
    {
        var admin = api.Admin();
        var agency = Http.Unique("type");
        await admin.RegisterAgency(agency, "350128", "government");

        await (await admin.PutReport(agency, 2021, ReportFixtures.DocumentJson("pingtan-2021"), contentType)).Problem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Writes_need_the_admin_key()
    {
        var agency = Http.Unique("key");
        await api.Admin().RegisterAgency(agency, "350128", "government");
        var anonymous = api.Anonymous();
        var wrongKey = api.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "not-the-key");

        await (await anonymous.PutReport(agency, 2021, ReportFixtures.DocumentJson("pingtan-2021"))).Problem(HttpStatusCode.Unauthorized);
        await (await wrongKey.PutReport(agency, 2021, ReportFixtures.DocumentJson("pingtan-2021"))).Problem(HttpStatusCode.Unauthorized);
        await (await anonymous.PostAsJsonAsync("/api/v1/agencies", new { code = Http.Unique("x"), name = "x", divisionCode = "350128", sector = "government" }))
            .Problem(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/agencies/{agency}/reports/2021")).StatusCode);
    }

    [Fact]
    public async Task Reading_what_does_not_exist_is_404_problem()
    {
        var client = api.Anonymous();
        var agency = Http.Unique("none");
        await api.Admin().RegisterAgency(agency, "350128", "government");
        await api.Admin().PutReport(agency, 2021, ReportFixtures.DocumentJson("pingtan-2021"));

        await (await client.GetAsync($"/api/v1/agencies/{agency}/reports/2022")).Problem(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/agencies/{agency}/reports/2021?revision=7")).Problem(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/v1/agencies/{agency}/reports/2022/revisions")).Problem(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/v1/agencies/nobody/reports/2021")).Problem(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/v1/no-such-route")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_bad_query_parameter_is_400_naming_it()
    {
        var problem = await (await api.Anonymous().GetAsync("/api/v1/reports?year=twenty")).Problem(HttpStatusCode.BadRequest);

        Assert.Contains("year", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Narratives_are_kept_as_submitted()
    {
        var admin = api.Admin();
        var agency = Http.Unique("text");
        await admin.RegisterAgency(agency, "350128", "government");
        var body = Edit("pingtan-2021", d =>
        {
            d["overview"] = "一、总体情况\n2021年，平潭综合实验区……<b>\"引号\"</b>";
            d["otherMatters"] = "本年度未收取信息处理费。";
        });

        var stored = await (await admin.PutReport(agency, 2021, body)).Json();

        Assert.Equal("一、总体情况\n2021年，平潭综合实验区……<b>\"引号\"</b>", stored["document"]!["overview"]!.GetValue<string>());
        Assert.Equal("本年度未收取信息处理费。", stored["document"]!["otherMatters"]!.GetValue<string>());
        Assert.False(stored["document"]!.AsObject().ContainsKey("problems"));
        Assert.Equal(24252.311082m, stored["document"]!["proactive"]!["fees"]!["amount"]!.GetValue<decimal>());
    }
}
