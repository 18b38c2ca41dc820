using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Aggregator.Domain;

namespace Aggregator.Scale;

/// <summary>The API as the benchmark calls it: one pooled HttpClient, the admin key on writes.</summary>
public sealed class Api : IDisposable
{
    public const string BulkPath = "/api/v1/reports/bulk";

    private readonly string key;

    public Api(string baseAddress, string key)
    {
        var uri = new Uri(baseAddress.TrimEnd('/') + "/");
        if (!IPAddress.TryParse(uri.Host, out var address) ? uri.Host != "localhost" : !IPAddress.IsLoopback(address))
        {
            throw new UsageException($"--api must be a loopback address (127.0.0.1, ::1 or localhost), not {uri.Host}.");
        }
        this.key = key;
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, UseCookies = false })
        {
            BaseAddress = uri,
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    public HttpClient Http { get; }

    public void Dispose() => Http.Dispose();

    public HttpRequestMessage Write(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content };
        request.Headers.Add("X-Api-Key", key);
        return request;
    }

    public static ByteArrayContent Json(byte[] utf8) => new(utf8) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };

    /// <summary>POST /api/v1/agencies; 409 (already registered) counts as done.</summary>
    public async Task<HttpStatusCode> RegisterAsync(BenchAgency agency, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            code = agency.Code, name = agency.Name, divisionCode = agency.Division.Code, sector = agency.Sector.Code,
        });
        using var response = await Http.SendAsync(Write(HttpMethod.Post, "api/v1/agencies", Json(body)), cancellationToken);
        return response.StatusCode;
    }

    /// <summary>PUT /api/v1/agencies/{code}/reports/{year} with the document as the body.</summary>
    public async Task<(HttpStatusCode Status, string? Problem)> PutReportAsync(string agency, int year, byte[] document, CancellationToken cancellationToken)
    {
        using var response = await Http.SendAsync(
            Write(HttpMethod.Put, $"api/v1/agencies/{Uri.EscapeDataString(agency)}/reports/{year}", Json(document)), cancellationToken);
        var problem = response.IsSuccessStatusCode ? null : await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            await response.Content.CopyToAsync(Stream.Null, cancellationToken);
        }
        return (response.StatusCode, problem);
    }

    /// <summary>
    /// True when the API has the bulk path. An empty body is refused or accepted by an API that has it and is a 404 or
    /// 405 from one that does not, so the probe stores nothing either way.
    /// </summary>
    public async Task<bool> HasBulkPathAsync(CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-ndjson") } };
        using var response = await Http.SendAsync(Write(HttpMethod.Post, BulkPath, content), cancellationToken);
        return response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed);
    }

    /// <summary>One line of a bulk request: <c>{"agency":"…","year":2021,"document":{…}}</c>.</summary>
    public static void WriteBulkLine(Stream body, string agency, int year, byte[] document)
    {
        using (var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("agency", agency);
            writer.WriteNumber("year", year);
            writer.WritePropertyName("document");
            writer.WriteRawValue(document, skipInputValidation: true);
            writer.WriteEndObject();
        }
        body.WriteByte((byte)'\n');
    }

    /// <summary>POST /api/v1/reports/bulk; the status of each line, with the first refusals' text.</summary>
    public async Task<BulkOutcome> PostBulkAsync(byte[] ndjson, int lines, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(ndjson) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-ndjson") } };
        using var response = await Http.SendAsync(Write(HttpMethod.Post, BulkPath, content), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new BulkOutcome(0, lines, [$"HTTP {(int)response.StatusCode}: {Shorten(text)}"]);
        }
        int accepted = 0, refused = 0;
        var problems = new List<string>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var status = json.RootElement.TryGetProperty("status", out var s) ? s.GetInt32() : 0;
            if (status is 200 or 201)
            {
                accepted++;
            }
            else
            {
                refused++;
                if (problems.Count < 3)
                {
                    problems.Add(Shorten(line));
                }
            }
        }
        refused += Math.Max(0, lines - accepted - refused); // lines the answer did not mention
        return new BulkOutcome(accepted, refused, problems);
    }

    /// <summary>Reports submitted so far: the sum of <c>reports</c> over a rollup grouped by year.</summary>
    public async Task<long> CountReportsAsync(CancellationToken cancellationToken)
    {
        var json = await Http.GetByteArrayAsync("api/v1/rollups?metric=proactive.penalty.decisions&groupBy=year", cancellationToken);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("rows").EnumerateArray().Sum(row => row.GetProperty("reports").GetInt64());
    }

    /// <summary>GET a report's current document (the <c>document</c> of the revision answer) and its ETag.</summary>
    public async Task<ReportDocument> GetDocumentAsync(string agency, int year, CancellationToken cancellationToken)
    {
        var json = await Http.GetByteArrayAsync($"api/v1/agencies/{Uri.EscapeDataString(agency)}/reports/{year}", cancellationToken);
        using var answer = JsonDocument.Parse(json);
        var parsed = ReportDocumentJson.Parse(answer.RootElement.GetProperty("document"));
        return parsed.Document ?? throw new InvalidOperationException(
            $"The stored document of {agency} {year} does not read back: {string.Join("; ", parsed.Errors.Select(e => $"{e.Path} {e.Message}"))}");
    }

    public static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

public sealed record BulkOutcome(int Accepted, int Refused, IReadOnlyList<string> Problems);
