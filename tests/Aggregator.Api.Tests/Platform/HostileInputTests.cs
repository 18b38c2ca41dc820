using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Access;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Tests;

namespace Aggregator.Api.Tests.Platform;

/// <summary>
/// Bodies and queries that once answered 500 or were stored as they should not be: bytes that are not text, a NUL,
/// a charset nobody reads, something after the JSON document, a single-valued parameter given twice. Each is a 4xx
/// problem naming the field, path or line, and nothing is stored.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileInputTests(ApiFactory api)
{
    private static readonly string Document = ReportFixtures.DocumentJson("pingtan-2021");

    private async Task<string> Agency()
    {
        var agency = Http.Unique("hostile");
        await api.Admin().RegisterAgency(agency, "350128", "government");
        return agency;
    }

    private static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static string WithOverview(string overview)
    {
        var document = JsonNode.Parse(Document)!;
        document["overview"] = overview;
        return document.ToJsonString();
    }

    private async Task NothingStored(string agency)
    {
        foreach (var year in new[] { 2020, 2021 })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/{year}")).StatusCode);
        }
    }

    [Fact]
    public async Task Invalid_UTF8_inside_a_JSON_string_is_400_naming_its_path()
    {
        var agency = await Agency();
        var marker = "\"overview\":\"";
        var json = WithOverview("坏");
        var at = Encoding.UTF8.GetBytes(json[..(json.IndexOf(marker, StringComparison.Ordinal) + marker.Length)]).Length;
        var bytes = Encoding.UTF8.GetBytes(json);
        bytes[at] = 0xFF; // the first byte of 坏 becomes a byte UTF-8 never has
        bytes[at + 1] = 0xFE;

        var problem = await (await api.Admin().PutAsync($"/api/v1/agencies/{agency}/reports/2021", Json(bytes))).Problem(HttpStatusCode.BadRequest);

        Assert.Contains("$.overview", problem.ErrorKeys());
        await NothingStored(agency);
    }

    [Theory]
    [InlineData("\\ud800", "$.overview")]
    [InlineData("前\\udc00后", "$.overview")]
    [InlineData("a\\u0000b", "$.overview")]
    public async Task A_lone_surrogate_or_a_NUL_in_a_narrative_is_400_naming_its_path(string escaped, string path)
    {
        var agency = await Agency();
        var json = WithOverview("PLACEHOLDER").Replace("PLACEHOLDER", escaped);

        var problem = await (await api.Admin().PutReport(agency, 2021, json)).Problem(HttpStatusCode.BadRequest);

        Assert.Contains(path, problem.ErrorKeys());
        await NothingStored(agency);
    }

    [Fact]
    public async Task A_NUL_in_a_field_name_or_in_a_bulk_line_is_refused_naming_its_path()
    {
        var agency = await Agency();
        var json = Document.Replace("\"proactive\":", "\"proac\\u0000tive\":");
        Assert.NotEqual(Document, json);
        await (await api.Admin().PutReport(agency, 2021, json)).Problem(HttpStatusCode.BadRequest);

        var line = $"{{\"agency\":\"{agency}\",\"year\":2021,\"document\":{WithOverview("PLACEHOLDER").Replace("PLACEHOLDER", "x\\u0000")}}}\n";
        var bulk = new StringContent(line, Encoding.UTF8, "application/x-ndjson");
        var outcome = (await (await api.Admin().PostAsync("/api/v1/reports/bulk", bulk)).Content.ReadAsStringAsync()).Trim();
        var result = JsonNode.Parse(outcome)!;
        Assert.Equal(400, result["status"]!.GetValue<int>());
        Assert.NotNull(result["errors"]!["$.document.overview"]);
        await NothingStored(agency);
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("{}")]
    [InlineData(",")]
    [InlineData(" \n [1]")]
    public async Task Anything_after_the_JSON_document_is_400_and_nothing_is_stored(string trailing)
    {
        var agency = await Agency();

        var problem = await (await api.Admin().PutReport(agency, 2021, Document + trailing)).Problem(HttpStatusCode.BadRequest);

        Assert.Contains("$", problem.ErrorKeys());
        Assert.Contains("after the JSON document", problem["errors"]!["$"]![0]!.GetValue<string>());
        await NothingStored(agency);
        Assert.Equal(HttpStatusCode.Created, (await api.Admin().PutReport(agency, 2021, Document + " \r\n")).StatusCode); // whitespace is fine
    }

    [Fact]
    public async Task A_NUL_in_a_published_report_is_400_naming_its_line_also_when_submitting()
    {
        var agency = await Agency();
        var text = File.ReadAllText(Path.Combine(ReportFixtures.Folder, "wusu-transport-2020.txt"));
        var lines = text.Split('\n');
        lines[2] += "\0";
        var body = new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        body.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };

        var problem = await (await api.Admin().PostAsync($"/api/v1/imports?submit=true&agency={agency}&year=2020", body)).Problem(HttpStatusCode.BadRequest);

        Assert.Contains("Line 3", problem["errors"]!["body"]![0]!.GetValue<string>());
        await NothingStored(agency);
    }

    [Theory]
    [InlineData("text/plain", "utf-7")]
    [InlineData("text/html", "utf-7")]
    [InlineData("text/plain", "x-made-up")]
    public async Task An_import_in_a_charset_not_read_is_415_naming_it(string mediaType, string charset)
    {
        var body = new ByteArrayContent("一、总体情况"u8.ToArray());
        body.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = charset };

        var problem = await (await api.Anonymous().PostAsync("/api/v1/imports", body)).Problem(HttpStatusCode.UnsupportedMediaType);

        Assert.Contains($"'{charset}'", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_page_whose_meta_names_utf7_is_415()
    {
        var body = new ByteArrayContent("<html><head><meta charset=\"utf-7\"></head><body>一、总体情况</body></html>"u8.ToArray());
        body.Headers.ContentType = new MediaTypeHeaderValue("text/html");

        await (await api.Anonymous().PostAsync("/api/v1/imports", body)).Problem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_repeated_submit_is_400_naming_it_and_on_record()
    {
        var agency = await Agency();
        var body = new StringContent(File.ReadAllText(Path.Combine(ReportFixtures.Folder, "wusu-transport-2020.txt")), Encoding.UTF8, "text/plain");

        var problem = await (await api.Admin().PostAsync($"/api/v1/imports?submit=true&submit=true&agency={agency}&year=2021", body))
            .Problem(HttpStatusCode.BadRequest);

        Assert.Equal(["submit"], problem.ErrorKeys());
        Assert.Contains(await api.AuditOf(agency), e => e!["action"]!.GetValue<string>() == "ImportReport" && e["status"]!.GetValue<int>() == 400);
        await NothingStored(agency);
    }

    [Fact]
    public async Task A_repeated_agency_is_400_naming_it_and_recorded_against_no_agency()
    {
        var first = await Agency();
        var second = await Agency();
        var body = new StringContent(File.ReadAllText(Path.Combine(ReportFixtures.Folder, "wusu-transport-2020.txt")), Encoding.UTF8, "text/plain");

        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddSeconds(-5).ToString("O"));
        var problem = await (await api.Admin().PostAsync($"/api/v1/imports?submit=true&agency={first}&agency={second}&year=2021", body))
            .Problem(HttpStatusCode.BadRequest);

        Assert.Equal(["agency"], problem.ErrorKeys());
        Assert.DoesNotContain(await api.AuditOf(first), e => e!["action"]!.GetValue<string>() == "ImportReport");
        var audit = (await (await api.Admin().GetAsync($"/api/v1/audit?from={since}&pageSize=1000")).Json())["items"]!.AsArray();
        Assert.Contains(audit, e => e!["path"]!.GetValue<string>().Contains($"agency={second}") && e["status"]!.GetValue<int>() == 400 && e["agency"] is null);
        await NothingStored(first);
        await NothingStored(second);
    }

    [Theory]
    [InlineData("/api/v1/agencies?sector=transport&sector=government", "sector")]
    [InlineData("/api/v1/reports?year=2021&year=2022", "year")]
    [InlineData("/api/v1/audit?agency=a&agency=b", "agency")]
    public async Task A_single_valued_query_parameter_given_twice_is_400_naming_it(string url, string parameter)
    {
        var problem = await (await api.Admin().GetAsync(url)).Problem(HttpStatusCode.BadRequest);

        Assert.Equal([parameter], problem.ErrorKeys());
    }

    /// <summary>Found by the HTTP fuzz run: the framework's JSON binding threw on a charset it does not know, and answered 500.</summary>
    [Theory]
    [InlineData("/api/v1/agencies", "utf-7")]
    [InlineData("/api/v1/agencies", "")]
    [InlineData("/api/v1/api-keys", "x-made-up")]
    [InlineData("/api/v1/api-keys", "utf-16")]
    [InlineData("/api/v1/agencies/{agency}/reports/2021", "latin1")]
    public async Task A_JSON_body_in_a_charset_other_than_UTF8_is_415_naming_it_and_nothing_is_stored(string path, string charset)
    {
        var agency = await Agency();
        var code = Http.Unique("charset");
        var json = path.EndsWith("/2021") ? Document
            : path.EndsWith("api-keys") ? $"{{\"role\":\"bureau\",\"agency\":\"{agency}\"}}"
            : $"{{\"code\":\"{code}\",\"name\":\"测试\",\"divisionCode\":\"350128\",\"sector\":\"government\"}}";
        var body = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        body.Headers.TryAddWithoutValidation("Content-Type", $"application/json; charset={charset}");
        var keys = (await (await api.Admin().GetAsync("/api/v1/api-keys?page=1&pageSize=1000")).Json())["total"]!.GetValue<int>();

        var response = path.EndsWith("/2021")
            ? await api.Admin().PutAsync(path.Replace("{agency}", agency), body)
            : await api.Admin().PostAsync(path, body);

        var problem = await response.Problem(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains($"charset '{charset}'", problem["detail"]!.GetValue<string>());
        await NothingStored(agency);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Anonymous().GetAsync($"/api/v1/agencies/{code}")).StatusCode);
        Assert.Equal(keys, (await (await api.Admin().GetAsync("/api/v1/api-keys?page=1&pageSize=1000")).Json())["total"]!.GetValue<int>());
    }

    /// <summary>Found by the HTTP fuzz run: the framework's reader took the quotes for part of the charset's name (500).</summary>
    [Fact]
    public async Task A_quoted_utf8_charset_is_utf8()
    {
        var code = Http.Unique("quoted");
        var body = new ByteArrayContent(Encoding.UTF8.GetBytes($"{{\"code\":\"{code}\",\"name\":\"测试\",\"divisionCode\":\"350128\",\"sector\":\"government\"}}"));
        body.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=\"UTF-8\"");

        Assert.Equal(HttpStatusCode.Created, (await api.Admin().PostAsync("/api/v1/agencies", body)).StatusCode);
    }

    [Fact]
    public async Task A_JSON_body_without_a_key_is_401_whatever_its_charset()
    {
        var body = new ByteArrayContent("{}"u8.ToArray());
        body.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-7");

        await (await api.Anonymous().PostAsync("/api/v1/agencies", body)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_read_is_not_refused_for_the_charset_of_a_body_it_does_not_read()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/metrics") { Content = new ByteArrayContent([]) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-7");

        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().SendAsync(request)).StatusCode);
    }

    /// <summary>Found by the HTTP fuzz run: PostgreSQL cannot look up a text with a NUL, and the lookup answered 500.</summary>
    [Fact]
    public async Task An_agency_code_with_a_NUL_is_refused_when_issuing_a_key_and_in_a_bulk_line()
    {
        var agency = await Agency();

        var problem = await (await api.Admin().PostAsJsonAsync("/api/v1/api-keys", new { role = "bureau", agency = agency + "\u0000" })).Problem(HttpStatusCode.BadRequest);
        Assert.Equal(["agency"], problem.ErrorKeys());
        // Found by the HTTP fuzz (seed 7): a 1.8M-character code came back whole in "No agency with code '…'", 5 MB.
        var response = await api.Admin().PostAsJsonAsync("/api/v1/api-keys", new { role = "bureau", agency = new string('字', 100_000) });
        Assert.Equal(["agency"], (await response.Problem(HttpStatusCode.BadRequest)).ErrorKeys());
        Assert.True(response.Content.Headers.ContentLength < 2_000, $"{response.Content.Headers.ContentLength} bytes");

        var lines = string.Join("\n",
            $"{{\"agency\":\"{agency}\\u0000\",\"year\":2021,\"document\":{Document}}}",
            $"{{\"agency\":\"{agency}\",\"year\":2021,\"document\":{Document}}}");
        var outcomes = await Bulk(Encoding.UTF8.GetBytes(lines));
        Assert.Equal([400, 201], outcomes.Select(o => o["status"]!.GetValue<int>()));
        Assert.NotNull(outcomes[0]["errors"]!["$.agency"]);
    }

    /// <summary>Found by the HTTP fuzz run: a line's agency or field name that was not UTF-8 threw when read, and the whole request answered 500.</summary>
    [Theory]
    [InlineData("agency")]
    [InlineData("name")]
    public async Task A_bulk_line_whose_agency_or_field_name_is_not_UTF8_is_refused_as_a_line(string where)
    {
        var agency = await Agency();
        var bad = where == "agency"
            ? [.. "{\"agency\":\""u8.ToArray(), 0xC0, 0xAF, .. Encoding.UTF8.GetBytes($"\",\"year\":2021,\"document\":{Document}}}")]
            : (byte[])[.. "{\""u8.ToArray(), 0xFF, .. Encoding.UTF8.GetBytes($"\":1,\"agency\":\"{agency}\",\"year\":2021,\"document\":{Document}}}")];
        byte[] body = [.. bad, (byte)'\n', .. Encoding.UTF8.GetBytes($"{{\"agency\":\"{agency}\",\"year\":2021,\"document\":{Document}}}")];

        var outcomes = await Bulk(body);

        Assert.Equal([400, 201], outcomes.Select(o => o["status"]!.GetValue<int>()));
    }

    private async Task<JsonObject[]> Bulk(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        var response = await api.Admin().PostAsync("/api/v1/reports/bulk", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
    }

    [Fact]
    public async Task List_parameters_still_take_repeats()
    {
        var response = await api.Anonymous().GetAsync("/api/v1/rollups?metric=proactive.penalty.decisions&metric=proactive.licensing.decisions");

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}
