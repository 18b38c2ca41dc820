using System.Text.Json.Nodes;
using Aggregator.Domain;
using Aggregator.Tests;

namespace Aggregator.Importer.Tests;

/// <summary>The published reports in tests/Fixtures/reports, with the documents read off them by hand.</summary>
public static class Fixtures
{
    public const string Seed = "wusu-transport-2020";

    /// <summary>The file formats a fixture is kept in, and the media type each is imported as.</summary>
    public static readonly IReadOnlyDictionary<string, string> MediaTypes = new Dictionary<string, string>
    {
        ["txt"] = "text/plain",
        ["html"] = "text/html",
        ["pdf"] = "application/pdf",
        ["docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    };

    public static string[] Names => ReportFixtures.Names;

    public static string Folder => ReportFixtures.Folder;

    /// <summary>Every published text form of every fixture: (name, "txt" or "html").</summary>
    public static IEnumerable<(string Name, string Format)> Sources() => Files().Where(f => f.Format is "txt" or "html");

    /// <summary>Every published form of every fixture, binary files included: (name, format).</summary>
    public static IEnumerable<(string Name, string Format)> Files() =>
        from name in Names
        from format in MediaTypes.Keys
        where File.Exists(Path.Combine(Folder, $"{name}.{format}"))
        select (name, format);

    public static string Read(string name, string format) => File.ReadAllText(Path.Combine(Folder, $"{name}.{format}"));

    public static byte[] Bytes(string name, string format) => File.ReadAllBytes(Path.Combine(Folder, $"{name}.{format}"));

    public static ImportResult Import(string name, string format) => format switch
    {
        "html" => ReportImporter.ImportHtml(Read(name, format)),
        "txt" => ReportImporter.ImportText(Read(name, format)),
        _ => ReportImporter.Import(Bytes(name, format), MediaTypes[format], null),
    };

    public static ReportDocument Document(string name) => ReportFixtures.Document(name);

    public static JsonObject Expected(string name) => ReportFixtures.Expected(name);
}
