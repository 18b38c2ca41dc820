using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Access;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Tests;

namespace Aggregator.Api.Tests.Imports;

[Collection(ApiCollection.Name)]
public sealed class ImportTests(ApiFactory api)
{
    static ImportTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string Source(string file) => System.IO.File.ReadAllText(Path.Combine(ReportFixtures.Folder, file));

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
        var json = await (await client.PostAsync("/api/v1/imports", Body("{}", "application/json"))).Problem(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/pdf", json["detail"]!.GetValue<string>());
        Assert.Contains("multipart/form-data", json["detail"]!.GetValue<string>());
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

    private const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private static byte[] File(string file) => System.IO.File.ReadAllBytes(Path.Combine(ReportFixtures.Folder, file));

    private static byte[] Other(string folder, string file) => System.IO.File.ReadAllBytes(Path.Combine(ReportFixtures.Folder, "..", folder, file));

    private static MultipartFormDataContent Form(byte[] bytes, string fileName, string? mediaType, string field = "file")
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(bytes);
        if (mediaType is not null)
        {
            part.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }
        form.Add(new StringContent("note"), "comment");
        form.Add(part, field, fileName);
        return form;
    }

    private static void AssertExpected(string name, JsonNode imported)
    {
        Assert.Equal(ReportFixtures.Leaves(ReportFixtures.Expected(name)["document"]!), ReportFixtures.Leaves(imported["document"]!));
        Assert.DoesNotContain(imported["diagnostics"]!.AsArray(), d => d!["severity"]!.GetValue<string>() == "blocking");
    }

    /// <summary>
    /// A client of a key of its own: imports have a window of 20 a minute per caller, and the anonymous callers of the
    /// tests share one address.
    /// </summary>
    private async Task<HttpClient> Caller() => api.WithKey((await api.Issue("region", division: "6542")).Key);

    [Theory]
    [InlineData("pingtan-2021.pdf", "application/pdf")]
    [InlineData("shuyang-fgj-2023.pdf", "application/pdf")]
    [InlineData("pingtan-2021.docx", Docx)]
    [InlineData("shuyang-fgj-2023.docx", Docx)]
    public async Task A_pdf_or_word_file_as_the_body_imports_to_its_expected_document(string file, string mediaType)
    {
        var response = await (await Caller()).PostAsync("/api/v1/imports", Body(File(file), mediaType));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var imported = await response.Json();
        AssertExpected(Path.GetFileNameWithoutExtension(file), imported);
        Assert.Equal(ReportFixtures.Expected(Path.GetFileNameWithoutExtension(file))["year"]!.GetValue<int>(), imported["year"]!.GetValue<int>());
    }

    [Theory]
    // The part's own media type; the extension when the part says only application/octet-stream or nothing.
    [InlineData("pingtan-2021.pdf", "application/pdf")]
    [InlineData("pingtan-2021.docx", "application/octet-stream")]
    [InlineData("shuyang-fgj-2023.docx", null)]
    [InlineData("shuyang-fgj-2023.html", "text/html")]
    [InlineData("wusu-transport-2020.txt", "text/plain")]
    public async Task A_file_of_a_form_imports_as_the_same_file_as_the_body(string file, string? mediaType)
    {
        var response = await (await Caller()).PostAsync("/api/v1/imports", Form(File(file), file, mediaType));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var imported = await response.Json();
        Assert.Equal(ReportFixtures.Leaves(ReportFixtures.Expected(Path.GetFileNameWithoutExtension(file))["document"]!), ReportFixtures.Leaves(imported["document"]!));
    }

    [Fact]
    public async Task A_pdf_imported_and_submitted_stores_a_revision()
    {
        var admin = api.Admin();
        var agency = Http.Unique("pdf");
        await admin.RegisterAgency(agency, "321322", "government", "沭阳县发展和改革局");

        var created = await admin.PostAsync($"/api/v1/imports?submit=true&agency={agency}", Form(File("shuyang-fgj-2023.pdf"), "shuyang-fgj-2023.pdf", "application/pdf"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/agencies/{agency}/reports/2023", created.Headers.Location?.OriginalString);
        var stored = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2023")).Json();
        Assert.Equal(ReportFixtures.Leaves(ReportFixtures.Expected("shuyang-fgj-2023")["document"]!), ReportFixtures.Leaves(stored["document"]!));
    }

    [Fact]
    public async Task A_scanned_pdf_is_422_saying_it_has_no_text_layer()
    {
        var problem = await (await (await Caller()).PostAsync("/api/v1/imports", Body(Other("pdf", "scan.pdf"), "application/pdf"))).Problem((HttpStatusCode)422);

        Assert.Equal("noTextLayer", problem["unreadable"]!.GetValue<string>());
        Assert.Contains("no text layer", problem["detail"]!.GetValue<string>());
        Assert.Contains("OCR", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_pdf_with_a_password_is_422_saying_so()
    {
        var problem = await (await (await Caller()).PostAsync("/api/v1/imports", Body(Other("pdf", "warm-up.encrypted.pdf"), "application/pdf"))).Problem((HttpStatusCode)422);

        Assert.Equal("encrypted", problem["unreadable"]!.GetValue<string>());
        Assert.Contains("password", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_damaged_word_file_is_422_saying_so()
    {
        var bytes = File("pingtan-2021.docx");

        var problem = await (await (await Caller()).PostAsync("/api/v1/imports", Body(bytes[..(bytes.Length / 3)], Docx))).Problem((HttpStatusCode)422);

        Assert.Equal("damaged", problem["unreadable"]!.GetValue<string>());
        Assert.StartsWith("The Word file cannot be read", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_word_97_file_is_415_naming_docx_and_pdf_as_the_body_and_as_a_form_file()
    {
        byte[] ole2 = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]];

        foreach (var request in new HttpContent[] { Body(ole2, "application/msword"), Form(ole2, "report.doc", null), Body(ole2, Docx) })
        {
            var problem = await (await (await Caller()).PostAsync("/api/v1/imports", request)).Problem(HttpStatusCode.UnsupportedMediaType);
            Assert.Contains(".docx", problem["detail"]!.GetValue<string>());
            Assert.Contains("PDF", problem["detail"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_form_without_a_file_is_400_and_a_form_file_of_no_known_type_is_415()
    {
        var empty = new MultipartFormDataContent { { new StringContent("x"), "comment" } };
        var missing = await (await (await Caller()).PostAsync("/api/v1/imports", empty)).Problem(HttpStatusCode.BadRequest);
        Assert.Contains("file", missing.ErrorKeys());

        var unknown = await (await (await Caller()).PostAsync("/api/v1/imports", Form([1, 2, 3], "report.xlsx", "application/vnd.ms-excel"))).Problem(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/pdf", unknown["detail"]!.GetValue<string>());

        // Found by the HTTP fuzz: a text sent as multipart/form-data, which ends before its first boundary, was a 500.
        var notAForm = new ByteArrayContent(Encoding.UTF8.GetBytes("本年新收政府信息公开申请数量 1 2 3"));
        notAForm.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=x");
        var unreadable = await (await (await Caller()).PostAsync("/api/v1/imports", notAForm)).Problem(HttpStatusCode.BadRequest);
        Assert.Contains("body", unreadable.ErrorKeys());
    }

    [Fact]
    public async Task A_pdf_over_20_MiB_is_413_and_a_pdf_bomb_is_413_naming_the_limit()
    {
        var client = await Caller();
        var tooLarge = await (await client.PostAsync("/api/v1/imports", Body(new byte[20 * 1024 * 1024 + 1], "application/pdf"))).Problem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("20 MiB", tooLarge["detail"]!.GetValue<string>());

        // A page whose content stream inflates to 64 MiB of spaces.
        var bomb = await (await client.PostAsync("/api/v1/imports", Body(FlateBombPdf(64L << 20), "application/pdf"))).Problem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("decodedBytes", bomb["limit"]!.GetValue<string>());
        Assert.Contains("page content limit 1 MiB", bomb["detail"]!.GetValue<string>());
    }

    private static byte[] FlateBombPdf(long spaces)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var chunk = Enumerable.Repeat((byte)' ', 1 << 20).ToArray();
            for (var left = spaces; left > 0; left -= chunk.Length)
            {
                zlib.Write(chunk);
            }
        }
        var data = compressed.ToArray();
        var head = Encoding.Latin1.GetBytes("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
                                            $"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length {data.Length} /Filter /FlateDecode >>\nstream\n");
        return [.. head, .. data, .. Encoding.Latin1.GetBytes("\nendstream\nendobj\ntrailer\n<< /Size 5 /Root 1 0 R >>\n%%EOF\n")];
    }

    private static JsonNode? Cell(JsonNode document, string path) =>
        path.Split('.').Aggregate((JsonNode?)document, (node, key) => node?[key]);
}
