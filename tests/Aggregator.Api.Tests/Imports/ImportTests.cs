using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Tests;

namespace Aggregator.Api.Tests.Imports;

[Collection(ApiCollection.Name)]
public sealed class ImportTests(ApiFactory api)
{
    static ImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string Source(string file) => File.ReadAllText(Path.Combine(ReportFixtures.Folder, file));

    private static ByteArrayContent Body(byte[] bytes, string mediaType, string? charset = null)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = charset };
        return content;
    }

    private static ByteArrayContent Body(string text, string mediaType) => Body(Encoding.UTF8.GetBytes(text), mediaType, "utf-8");

    [Fact]
    public async Task The_seed_text_imports_to_its_expected_document_with_the_R1_finding_and_nothing_stored()
    {
        var response = await api.Anonymous().PostAsync("/api/v1/imports", Body(Source("wusu-transport-2020.txt"), "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var imported = await response.Json();
        Assert.Equal("乌苏市交通运输局", imported["agency"]!.GetValue<string>());
        Assert.Equal(2020, imported["year"]!.GetValue<int>());
        Assert.Equal("transport", imported["proposedSector"]!.GetValue<string>());
        Assert.Equal(ReportFixtures.Leaves(ReportFixtures.Expected("wusu-transport-2020")["document"]!), ReportFixtures.Leaves(imported["document"]!));
        Assert.Equal("R1", Assert.Single(imported["findings"]!.AsArray())!["rule"]!.GetValue<string>());
        Assert.DoesNotContain(imported["diagnostics"]!.AsArray(), d => d!["severity"]!.GetValue<string>() == "blocking");
        Assert.Null(imported["revision"]);
    }

    [Fact]
    public async Task A_page_served_in_GBK_imports_like_its_UTF8_text()
    {
        var html = Source("shuyang-fgj-2023.html");
        var gbk = Encoding.GetEncoding("gb18030").GetBytes(html);

        var byParameter = await (await api.Anonymous().PostAsync("/api/v1/imports", Body(gbk, "text/html", "gbk"))).Json();
        var fromText = await (await api.Anonymous().PostAsync("/api/v1/imports", Body(Source("shuyang-fgj-2023.txt"), "text/plain"))).Json();

        var expected = ReportFixtures.Leaves(ReportFixtures.Expected("shuyang-fgj-2023")["document"]!);
        Assert.Equal(expected, ReportFixtures.Leaves(byParameter["document"]!));
        Assert.Equal(expected, ReportFixtures.Leaves(fromText["document"]!));
    }

    [Fact]
    public async Task A_page_nested_too_deep_is_422_naming_the_nesting_depth_limit()
    {
        var page = "<html><body>" + string.Concat(Enumerable.Repeat("<div>", 100_000)) + "本年新收</body></html>";

        var problem = await (await api.Anonymous().PostAsync("/api/v1/imports", Body(page, "text/html"))).Problem((HttpStatusCode)422);

        Assert.Equal("nestingDepth", problem["limit"]!.GetValue<string>());
        Assert.Equal(256, problem["limitValue"]!.GetValue<double>());
        Assert.Contains("nesting depth limit 256", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_page_of_too_many_table_cells_is_413_naming_the_table_cells_limit()
    {
        var page = "<html><body><table><tr>" + string.Concat(Enumerable.Repeat("<td>1</td>", 150_000)) + "</tr></table></body></html>";

        var problem = await (await api.Anonymous().PostAsync("/api/v1/imports", Body(page, "text/html"))).Problem(HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("tableCells", problem["limit"]!.GetValue<string>());
        Assert.Contains("table cells limit 20,000", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Text_that_is_not_a_report_is_422_saying_so()
    {
        var problem = await (await api.Anonymous().PostAsync("/api/v1/imports", Body("市政府召开常务会议，研究部署近期重点工作。\n会议指出……", "text/plain")))
            .Problem((HttpStatusCode)422);

        Assert.Contains("No table of the annual report template", problem["detail"]!.GetValue<string>());
        Assert.NotEmpty(problem["diagnostics"]!.AsArray());
    }

    [Fact]
    public async Task Limits_and_media_types()
    {
        var client = api.Anonymous();

        await (await client.PostAsync("/api/v1/imports", Body(new byte[5 * 1024 * 1024 + 1], "text/plain", "utf-8"))).Problem(HttpStatusCode.RequestEntityTooLarge);
        await (await client.PostAsync("/api/v1/imports", Body("{}", "application/json"))).Problem(HttpStatusCode.UnsupportedMediaType);
        await (await client.PostAsync("/api/v1/imports?submit=true&agency=x", Body(Source("wusu-transport-2020.txt"), "text/plain"))).Problem(HttpStatusCode.Unauthorized);
        var missingAgency = await (await api.Admin().PostAsync("/api/v1/imports?submit=true", Body(Source("wusu-transport-2020.txt"), "text/plain"))).Problem(HttpStatusCode.BadRequest);
        Assert.Contains("agency", missingAgency.ErrorKeys());
        await (await api.Admin().PostAsync("/api/v1/imports?submit=true&agency=nobody-here", Body(Source("wusu-transport-2020.txt"), "text/plain"))).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Import_and_submit_in_one_call_stores_a_revision_and_a_retry_does_not()
    {
        var admin = api.Admin();
        var agency = Http.Unique("imp");
        await admin.RegisterAgency(agency, "654202", "transport", "乌苏市交通运输局");

        var created = await admin.PostAsync($"/api/v1/imports?submit=true&agency={agency}", Body(Source("wusu-transport-2020.txt"), "text/plain"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/agencies/{agency}/reports/2020", created.Headers.Location?.OriginalString);
        var revision = (await created.Json())["revision"]!;
        Assert.Equal(1, revision["revision"]!.GetValue<int>());
        Assert.Equal("R1", revision["findings"]![0]!["rule"]!.GetValue<string>());

        var retry = await admin.PostAsync($"/api/v1/imports?submit=true&agency={agency}&year=2020", Body(Source("wusu-transport-2020.txt"), "text/plain"));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(1, (await retry.Json())["revision"]!["revision"]!.GetValue<int>());

        var stored = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2020")).Json();
        Assert.Equal(ReportFixtures.Leaves(ReportFixtures.Expected("wusu-transport-2020")["document"]!), ReportFixtures.Leaves(stored["document"]!));
    }

    [Fact]
    public async Task A_report_with_cells_left_blank_for_want_of_certainty_is_not_submitted()
    {
        var admin = api.Admin();
        var agency = Http.Unique("glued");
        await admin.RegisterAgency(agency, "350128", "government");
        var preview = await (await api.Anonymous().PostAsync("/api/v1/imports", Body(Source("pingtan-2021.txt"), "text/plain"))).Json();
        var blocking = preview["diagnostics"]!.AsArray().Where(d => d!["severity"]!.GetValue<string>() == "blocking").ToArray();
        Assert.NotEmpty(blocking);
        Assert.All(blocking, d => Assert.Null(Cell(preview["document"]!, d!["path"]!.GetValue<string>())));

        var problem = await (await admin.PostAsync($"/api/v1/imports?submit=true&agency={agency}", Body(Source("pingtan-2021.txt"), "text/plain")))
            .Problem((HttpStatusCode)422);

        Assert.Equal(blocking.Length, problem["diagnostics"]!.AsArray().Count(d => d!["severity"]!.GetValue<string>() == "blocking"));
        Assert.Equal(HttpStatusCode.NotFound, (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2021")).StatusCode);
    }

    private static JsonNode? Cell(JsonNode document, string path) =>
        path.Split('.').Aggregate((JsonNode?)document, (node, key) => node?[key]);
}
