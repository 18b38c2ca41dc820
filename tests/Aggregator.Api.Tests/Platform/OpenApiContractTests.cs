using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Infrastructure;

namespace Aggregator.Api.Tests.Platform;

/// <summary>
/// openapi/aggregator.v1.json is the contract dashboards build on: the served document must equal it. After an
/// intended API change, regenerate it with AGGREGATOR_UPDATE_OPENAPI=1 and commit the diff.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiContractTests(ApiFactory api)
{
    private static string CommittedPath =>
        Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "openapi", "aggregator.v1.json"));

    [Fact]
    public async Task The_served_document_equals_the_committed_contract()
    {
        var served = JsonNode.Parse(await api.Anonymous().GetStringAsync("/swagger/v1/swagger.json"))!;
        var formatted = served.ToJsonString(new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

        if (Environment.GetEnvironmentVariable("AGGREGATOR_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(CommittedPath, formatted);
        }

        Assert.True(File.Exists(CommittedPath), $"No committed contract at {CommittedPath}; run the tests with AGGREGATOR_UPDATE_OPENAPI=1 to write it.");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(CommittedPath))!;
        Assert.True(JsonNode.DeepEquals(committed, served),
            "The served OpenAPI document differs from openapi/aggregator.v1.json. If the change is intended, run the tests with " +
            "AGGREGATOR_UPDATE_OPENAPI=1 and commit the new contract.");
    }

    [Fact]
    public async Task The_contract_describes_the_report_document_and_the_key()
    {
        var document = JsonNode.Parse(await api.Anonymous().GetStringAsync("/swagger/v1/swagger.json"))!;
        var schemas = document["components"]!["schemas"]!;

        var edition2021 = schemas["ReportDocument2021"]!;
        Assert.Contains("notProcessed", edition2021["properties"]!["applications"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.False(edition2021["properties"]!["proactive"]!["properties"]!.AsObject().ContainsKey("procurement"));
        Assert.True(schemas["ReportDocument2019"]!["properties"]!["proactive"]!["properties"]!.AsObject().ContainsKey("procurement"));
        Assert.Equal(2, schemas["ReportDocument"]!["oneOf"]!.AsArray().Count);
        Assert.Equal("apiKey", document["components"]!["securitySchemes"]!["ApiKey"]!["type"]!.GetValue<string>());
        Assert.NotNull(document["paths"]!["/api/v1/agencies/{code}/reports/{year}"]!["put"]!["security"]);
    }

    /// <summary>
    /// Found by the HTTP fuzz run: every GET answers 304 to its ETag (ConditionalGet) and any query can be refused with 400
    /// (a control character, a repeated single-valued parameter, a wrong type), but the contract said so for a few only;
    /// the JSON writes answer 415 to another content type.
    /// </summary>
    [Fact]
    public async Task Every_operation_declares_what_the_middleware_answers_for_it()
    {
        var document = JsonNode.Parse(await api.Anonymous().GetStringAsync("/swagger/v1/swagger.json"))!;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var responses = operation!["responses"]!.AsObject();
                Assert.True(responses.ContainsKey("400"), $"{method} {path} does not declare 400");
                Assert.True(method != "get" || responses.ContainsKey("304"), $"{method} {path} does not declare 304");
                Assert.True(operation["requestBody"]?["content"]?["application/json"] is null || responses.ContainsKey("415"), $"{method} {path} does not declare 415");
            }
        }
    }

    /// <summary>Found by the HTTP fuzz run: requests valid by the document were refused for a parameter it called optional.</summary>
    [Theory]
    [InlineData("/api/v1/rollups", "metric")]
    [InlineData("/api/v1/completeness", "year")]
    [InlineData("/api/v1/agencies/{code}/reports/{year}/compare", "with")]
    public async Task A_query_parameter_the_validator_demands_is_required_in_the_contract(string path, string name)
    {
        var document = JsonNode.Parse(await api.Anonymous().GetStringAsync("/swagger/v1/swagger.json"))!;
        var parameter = document["paths"]![path]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == name)!;

        Assert.True(parameter["required"]?.GetValue<bool>(), $"{name} of {path} is not required in the contract");
        await (await api.Anonymous().GetAsync(path.Replace("{code}", "x").Replace("{year}", "2021"))).Problem(System.Net.HttpStatusCode.BadRequest);
    }
}
