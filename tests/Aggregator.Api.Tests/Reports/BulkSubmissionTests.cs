using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Access;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;
using Aggregator.Tests;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Api.Tests.Reports;

/// <summary>POST /api/v1/reports/bulk: every line judged as its PUT would be, answered line by line.</summary>
[Collection(ApiCollection.Name)]
public sealed class BulkSubmissionTests(ApiFactory api)
{
    private static string Line(string agency, int year, string documentJson) => $"{{\"agency\":\"{agency}\",\"year\":{year},\"document\":{documentJson}}}";

    private static string Json(ReportDocument document) => Encoding.UTF8.GetString(ReportDocumentJson.Serialize(document));

    private static async Task<(HttpResponseMessage Response, JsonObject[] Lines)> Bulk(HttpClient client, string body, string contentType = "application/x-ndjson")
    {
        var response = await client.PostAsync("/api/v1/reports/bulk", new StringContent(body, Encoding.UTF8, contentType));
        if (!response.IsSuccessStatusCode)
        {
            return (response, []);
        }
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();
        return (response, lines);
    }

    /// <summary>
    /// Found by the HTTP fuzz work: the documented 64 MiB was cut at Kestrel's default 30 MB (a 413 naming 30,000,000 bytes,
    /// or a body cut off mid-answer when sent chunked). A real server, since the test server has no such limit.
    /// </summary>
    [Fact]
    public async Task A_body_over_30_MB_and_under_64_MiB_is_read_to_its_end()
    {
        await using var kestrel = api.WithWebHostBuilder(_ => { });
        kestrel.UseKestrel(0);
        kestrel.StartServer();
        var address = new Uri(kestrel.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);
        var agency = Http.Unique("big");
        await client.RegisterAgency(agency, "350128", "government");
        var blank = Encoding.ASCII.GetBytes(new string(' ', 1_000_000) + "\n"); // blank lines are skipped, but they count in the size
        var last = Encoding.UTF8.GetBytes(Line(agency, 2021, ReportFixtures.DocumentJson("pingtan-2021")) + "\n");
        var body = new byte[31 * blank.Length + last.Length];
        for (var i = 0; i < 31; i++)
        {
            blank.CopyTo(body, i * blank.Length);
        }
        last.CopyTo(body, 31 * blank.Length);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");

        var response = await client.PostAsync("/api/v1/reports/bulk", content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var line = JsonNode.Parse(text.Trim())!;
        Assert.Equal(32, line["line"]!.GetValue<int>());
        Assert.Equal(201, line["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Each_line_is_answered_as_its_PUT_would_be_and_refused_lines_store_nothing()
    {
        var wusu = Http.Unique("bulk");
        var pingtan = Http.Unique("bulk");
        await api.Admin().RegisterAgency(wusu, "654202", "transport");
        await api.Admin().RegisterAgency(pingtan, "350128", "government");
        var seed = ReportFixtures.DocumentJson("wusu-transport-2020");
        var corrected = ReportFixtures.Document("wusu-transport-2020");
        corrected.Set("proactive.penalty.decisions", null, 7);
        var region = api.WithKey((await api.Issue("region", division: "6542")).Key);
        var body = string.Join("\n",
            Line(wusu, 2020, seed),                                            // 1: created
            "",                                                                // blank: skipped
            Line(wusu, 2020, seed),                                            // 3: the same again
            Line(wusu, 2020, Json(corrected)),                                 // 4: a correction
            Line("nobody-" + wusu, 2020, seed),                                // 5: unknown agency
            Line(pingtan, 2021, ReportFixtures.DocumentJson("pingtan-2021")),  // 6: outside the region
            Line(wusu, 2018, seed),                                            // 7: before the template
            Line(wusu, 2019, seed.Replace("\"decisions\":0", "\"decisions\":-1")), // 8: R7
            "{not json",                                                       // 9
            "{\"agency\":\"x\",\"year\":2020,\"document\":{},\"extra\":1}");    // 10: unknown field

        var (response, lines) = await Bulk(region, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([1, 3, 4, 5, 6, 7, 8, 9, 10], lines.Select(l => l["line"]!.GetValue<int>()));
        Assert.Equal([201, 200, 200, 404, 403, 400, 400, 400, 400], lines.Select(l => l["status"]!.GetValue<int>()));
        Assert.Equal(["created", "unchanged", "revised"], lines.Take(3).Select(l => l["submission"]!.GetValue<string>()));
        Assert.Equal([1, 1, 2], lines.Take(3).Select(l => l["revision"]!.GetValue<int>()));
        Assert.Equal(1, lines[0]["findings"]!.GetValue<int>()); // the seed breaks R1, as over PUT
        Assert.Contains("$.year", lines[5]["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains(lines[6]["errors"]!.AsObject(), e => e.Key.StartsWith("$.document.proactive", StringComparison.Ordinal));
        Assert.Contains("$.extra", lines[8]["errors"]!.AsObject().Select(e => e.Key));

        var stored = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{wusu}/reports/2020")).Json();
        Assert.Equal(2, stored["revision"]!.GetValue<int>());
        Assert.Equal(7m, stored["document"]!["proactive"]!["penalty"]!["decisions"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.NotFound, (await api.Anonymous().GetAsync($"/api/v1/agencies/{pingtan}/reports/2021")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Anonymous().GetAsync($"/api/v1/agencies/{wusu}/reports/2019")).StatusCode);
        var audit = await api.AuditOf(wusu);
        Assert.Equal([201, 200, 200, 400, 400], audit.Where(e => e!["action"]!.GetValue<string>() == "SubmitReport")
            .OrderBy(e => e!["id"]!.GetValue<long>()).Select(e => e!["status"]!.GetValue<int>()));
        Assert.Contains(await api.AuditOf(pingtan), e => e!["status"]!.GetValue<int>() == 403);
    }

    [Fact]
    public async Task A_report_and_its_year_before_in_one_body_are_checked_against_each_other_as_over_PUT()
    {
        var overBulk = Http.Unique("r5b");
        var overPut = Http.Unique("r5p");
        await api.Admin().RegisterAgency(overBulk, "654202", "transport");
        await api.Admin().RegisterAgency(overPut, "654202", "transport");
        var first = ReportFixtures.Document("wusu-transport-2020");
        first.Set("applications.carriedForward", Applicant.Total, 5);
        var second = ReportFixtures.Document("wusu-transport-2020");
        second.Set("applications.carriedOver", Applicant.Total, 3);

        var (_, lines) = await Bulk(api.Admin(), Line(overBulk, 2019, Json(first)) + "\n" + Line(overBulk, 2020, Json(second)) + "\n");
        await api.Admin().PutReport(overPut, 2019, first);
        var put = await (await api.Admin().PutReport(overPut, 2020, second)).Json();

        var bulk = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{overBulk}/reports/2020")).Json();
        Assert.Equal([201, 201], lines.Select(l => l["status"]!.GetValue<int>()));
        Assert.Equal(put["contentHash"]!.GetValue<string>(), bulk["contentHash"]!.GetValue<string>());
        Assert.Equal(put["findings"]!.ToJsonString(), bulk["findings"]!.ToJsonString());
        Assert.Contains(bulk["findings"]!.AsArray(), f => f!["rule"]!.GetValue<string>() == "R5");
    }

    [Fact]
    public async Task A_bulk_body_needs_a_key_and_ndjson()
    {
        await (await api.Anonymous().PostAsync("/api/v1/reports/bulk", new StringContent("", Encoding.UTF8, "application/x-ndjson"))).Problem(HttpStatusCode.Unauthorized);
        await (await api.Admin().PostAsync("/api/v1/reports/bulk", new StringContent("[]", Encoding.UTF8, "application/json"))).Problem(HttpStatusCode.UnsupportedMediaType);
        var (response, lines) = await Bulk(api.Admin(), "\n\n");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(lines);
    }
}
