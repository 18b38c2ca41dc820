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

    [Fact]
    public async Task Every_answer_has_one_media_type_so_a_generated_client_types_it_and_every_query_has_its_csv_twin()
    {
        var document = JsonNode.Parse(await api.Anonymous().GetStringAsync("/swagger/v1/swagger.json"))!;
        var paths = document["paths"]!.AsObject();
        foreach (var (path, item) in paths)
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                foreach (var (status, response) in operation!["responses"]!.AsObject())
                {
                    var types = response!["content"]?.AsObject().Select(c => c.Key).ToArray() ?? [];
                    Assert.True(types.Length <= 1, $"{method.ToUpperInvariant()} {path} {status} has {string.Join(", ", types)}: a generated client would type it as a union.");
                }
            }
        }
        foreach (var query in new[] { "/api/v1/rollups", "/api/v1/cells", "/api/v1/reports", "/api/v1/completeness" })
        {
            var json = paths[query]!["get"]!;
            var csv = paths[query + ".csv"]!["get"]!;
            Assert.Equal(["application/json"], json["responses"]!["200"]!["content"]!.AsObject().Select(c => c.Key));
            Assert.Equal(["text/csv"], csv["responses"]!["200"]!["content"]!.AsObject().Select(c => c.Key));
            Assert.True(json["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "format")!["deprecated"]!.GetValue<bool>());
            var csvParameters = csv["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToHashSet();
            Assert.DoesNotContain("format", csvParameters);
            Assert.DoesNotContain("cursor", csvParameters);
        }
    }

    [Fact]
    public async Task Closed_query_parameters_list_their_values_and_public_operations_need_no_key()
    {
        var document = JsonNode.Parse(await api.Anonymous().GetStringAsync("/swagger/v1/swagger.json"))!;
        var rollup = document["paths"]!["/api/v1/rollups"]!["get"]!["parameters"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!);
        Assert.True(rollup["metric"]["required"]!.GetValue<bool>());
        Assert.Contains("proactive.penalty.decisions", rollup["metric"]["schema"]!["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(Domain.Dimensions.All.Select(Domain.Dimensions.Key), rollup["groupBy"]["schema"]!["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["previousYear"], rollup["compare"]["schema"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        var completeness = document["paths"]!["/api/v1/completeness"]!["get"]!["parameters"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!);
        Assert.Equal(Domain.Dimensions.Regional.Select(Domain.Dimensions.Key), completeness["groupBy"]["schema"]!["items"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.True(completeness["year"]["required"]!.GetValue<bool>());

        // Public reads inherit the document's security: no key, or a key.
        var security = document["security"]!.AsArray();
        Assert.Contains(security, r => r!.AsObject().Count == 0);
        Assert.Null(document["paths"]!["/api/v1/rollups"]!["get"]!["security"]);
        Assert.NotEmpty(document["servers"]!.AsArray());
        Assert.All(document["tags"]!.AsArray(), t => Assert.False(string.IsNullOrWhiteSpace(t!["description"]?.GetValue<string>())));
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
