using System.Text.Json;
using System.Text.Json.Nodes;
using Aggregator.Domain;

namespace Aggregator.Importer.Tests;

/// <summary>The published reports in tests/Fixtures/reports, with the documents read off them by hand.</summary>
public static class Fixtures
{
    public const string Seed = "wusu-transport-2020";

    public static readonly string[] Names = [Seed, "shuyang-fgj-2023", "huaian-szf-2024", "pingtan-2021"];

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Fixtures", "reports");

    /// <summary>Every published form of every fixture: (name, "txt" or "html").</summary>
    public static IEnumerable<(string Name, string Format)> Sources() =>
        from name in Names
        from format in new[] { "txt", "html" }
        where File.Exists(Path.Combine(Folder, $"{name}.{format}"))
        select (name, format);

    public static string Read(string name, string format) => File.ReadAllText(Path.Combine(Folder, $"{name}.{format}"));

    public static ImportResult Import(string name, string format) =>
        format == "html" ? ReportImporter.ImportHtml(Read(name, format)) : ReportImporter.ImportText(Read(name, format));

    public static JsonObject Expected(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, name + ".expected.json")))!.AsObject();

    public static ReportDocument Document(string name)
    {
        var result = ReportDocumentJson.Parse(System.Text.Encoding.UTF8.GetBytes(Expected(name)["document"]!.ToJsonString()));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Document!;
    }
}
