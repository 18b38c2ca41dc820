using System.Text.Json.Nodes;
using Aggregator.Domain;
using Aggregator.Tests;

namespace Aggregator.Importer.Tests;

/// <summary>The published reports in tests/Fixtures/reports, with the documents read off them by hand.</summary>
public static class Fixtures
{
    public const string Seed = "wusu-transport-2020";

    public static string[] Names => ReportFixtures.Names;

    public static string Folder => ReportFixtures.Folder;

    /// <summary>Every published form of every fixture: (name, "txt" or "html").</summary>
    public static IEnumerable<(string Name, string Format)> Sources() =>
        from name in Names
        from format in new[] { "txt", "html" }
        where File.Exists(Path.Combine(Folder, $"{name}.{format}"))
        select (name, format);

    public static string Read(string name, string format) => File.ReadAllText(Path.Combine(Folder, $"{name}.{format}"));

    public static ImportResult Import(string name, string format) =>
        format == "html" ? ReportImporter.ImportHtml(Read(name, format)) : ReportImporter.ImportText(Read(name, format));

    public static ReportDocument Document(string name) => ReportFixtures.Document(name);

    public static JsonObject Expected(string name) => ReportFixtures.Expected(name);
}
