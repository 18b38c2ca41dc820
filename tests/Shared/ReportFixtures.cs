using System.Text.Json;
using System.Text.Json.Nodes;

using Aggregator.Domain;

namespace Aggregator.Tests;

/// <summary>The published reports in tests/Fixtures/reports, with the documents read off them by hand.</summary>
public static class ReportFixtures
{
    public static readonly string[] Names =
        ["wusu-transport-2020", "shuyang-fgj-2023", "huaian-szf-2024", "pingtan-2021", "pingtan-2022", "pingtan-2024", "pingtan-2025"];

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "reports");

    public static JsonObject Expected(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, name + ".expected.json")))!.AsObject();

    /// <summary>The expected document of a fixture as JSON text, ready to submit.</summary>
    public static string DocumentJson(string name) => Expected(name)["document"]!.ToJsonString();

    public static ReportDocument Document(string name)
    {
        var result = ReportDocumentJson.Parse(System.Text.Encoding.UTF8.GetBytes(DocumentJson(name)));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Document!;
    }

    /// <summary>
    /// A document of made-up values for a report year: mostly the edition prescribed for it (15% either), a fifth of
    /// the cells blank, negative values only where the metric allows them.
    /// </summary>
    public static ReportDocument RandomDocument(Random random, int year)
    {
        var edition = random.NextDouble() < 0.15 ? (Edition)random.Next(2) : Editions.PrescribedFor(year);
        var document = new ReportDocument(edition);
        foreach (var cell in document.Fields)
        {
            document.Set(cell.Metric, cell.Applicant, random.NextDouble() < 0.2 ? null : cell.Metric.MayBeNegative ? random.Next(-5, 50) : random.Next(0, 500));
        }
        return document;
    }

    /// <summary>Every numeric leaf of a JSON document, by dotted path (null for blank).</summary>
    public static Dictionary<string, decimal?> Leaves(JsonNode node, string prefix = "")
    {
        var leaves = new Dictionary<string, decimal?>();
        Walk(node, prefix, leaves);
        return leaves;

        static void Walk(JsonNode? node, string path, Dictionary<string, decimal?> into)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj)
                    {
                        Walk(child, path.Length == 0 ? key : $"{path}.{key}", into);
                    }
                    break;
                case null:
                    into[path] = null;
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                    into[path] = value.GetValue<decimal>();
                    break;
            }
        }
    }
}
