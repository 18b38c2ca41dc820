using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aggregator.Domain;

namespace Aggregator.Api.Data;

/// <summary>How documents and findings are kept in jsonb columns.</summary>
public static class StoredJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string WriteDocument(ReportDocument document) => Encoding.UTF8.GetString(ReportDocumentJson.Serialize(document));

    public static ReportDocument ReadDocument(string json)
    {
        var result = ReportDocumentJson.Parse(Encoding.UTF8.GetBytes(json));
        return result.Document ?? throw new InvalidDataException(
            $"A stored document no longer reads: {string.Join("; ", result.Errors.Select(e => $"{e.Path}: {e.Message}"))}");
    }

    public static string WriteFindings(IReadOnlyList<Finding> findings) => JsonSerializer.Serialize(findings, Options);

    public static IReadOnlyList<Finding> ReadFindings(string json) => JsonSerializer.Deserialize<Finding[]>(json, Options) ?? [];
}
