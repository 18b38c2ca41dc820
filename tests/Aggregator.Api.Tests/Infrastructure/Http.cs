using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aggregator.Domain;

namespace Aggregator.Api.Tests.Infrastructure;

/// <summary>Small helpers for calling the API the way a client would.</summary>
public static class Http
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static async Task<JsonObject> RegisterAgency(this HttpClient admin, string code, string divisionCode, string sector, string? name = null)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/agencies", new { code, name = name ?? $"测试机关 {code}", divisionCode, sector });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static Task<HttpResponseMessage> PutReport(this HttpClient client, string agency, int year, string json, string contentType = "application/json") =>
        client.PutAsync($"/api/v1/agencies/{agency}/reports/{year}", new StringContent(json, Encoding.UTF8, contentType));

    public static Task<HttpResponseMessage> PutReport(this HttpClient client, string agency, int year, ReportDocument document) =>
        client.PutReport(agency, year, Encoding.UTF8.GetString(ReportDocumentJson.Serialize(document)));

    public static async Task<JsonObject> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException($"Not a JSON object: {text}");
    }

    public static async Task<JsonNode> JsonBody(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>Asserts a problem+json answer with the status, and returns it.</summary>
    public static async Task<JsonObject> Problem(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        return problem;
    }

    /// <summary>The keys of a validation problem's <c>errors</c>.</summary>
    public static string[] ErrorKeys(this JsonObject problem) =>
        problem["errors"]?.AsObject().Select(e => e.Key).ToArray() ?? [];

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
