using System.Text.Json;

namespace Aggregator.Api.Tests.Platform.Fuzz;

/// <summary>A parameter of an operation as the OpenAPI document gives it.</summary>
public sealed record OpenApiParameter(string Name, string In, JsonElement Schema, bool Required);

/// <summary>One operation of the committed OpenAPI document: what the fuzz builds its requests from.</summary>
/// <param name="Declared">The statuses the document says it answers.</param>
public sealed record OpenApiOperation(
    string Id, string Method, string Path, IReadOnlyList<OpenApiParameter> Parameters, IReadOnlyDictionary<string, JsonElement?> Bodies,
    bool Secured, IReadOnlySet<int> Declared)
{
    public bool IsWrite => Method is not "GET";

    public override string ToString() => $"{Method} {Path} ({Id})";
}

/// <summary>Reads the operations and schemas of <c>openapi/aggregator.v1.json</c> with System.Text.Json ($ref resolved on demand).</summary>
public sealed class OpenApiOperations
{
    private readonly JsonDocument document;

    private OpenApiOperations(JsonDocument document, IReadOnlyList<OpenApiOperation> operations)
    {
        this.document = document;
        Operations = operations;
    }

    public IReadOnlyList<OpenApiOperation> Operations { get; }

    /// <summary>The committed document, copied beside the tests (tests/…csproj links it).</summary>
    public static string CommittedPath => Path.Combine(AppContext.BaseDirectory, "openapi", "aggregator.v1.json");

    public static OpenApiOperations Load(string path)
    {
        var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var operations = new List<OpenApiOperation>();
        foreach (var pathItem in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in pathItem.Value.EnumerateObject())
            {
                var op = operation.Value;
                var parameters = op.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(p => new OpenApiParameter(
                        p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
                        p.TryGetProperty("schema", out var s) ? s : default,
                        p.TryGetProperty("required", out var r) && r.GetBoolean())).ToList()
                    : [];
                var bodies = new Dictionary<string, JsonElement?>();
                if (op.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var content))
                {
                    foreach (var media in content.EnumerateObject())
                    {
                        bodies[media.Name] = media.Value.TryGetProperty("schema", out var schema) ? schema : null;
                    }
                }
                var declared = op.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name)).ToHashSet();
                operations.Add(new OpenApiOperation(op.GetProperty("operationId").GetString()!, operation.Name.ToUpperInvariant(), pathItem.Name,
                    parameters, bodies, op.TryGetProperty("security", out _), declared));
            }
        }
        return new OpenApiOperations(document, operations);
    }

    /// <summary>The schema a <c>$ref</c> names, or the schema itself.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        return schema;
    }

    public JsonElement Schema(string name) => document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);
}
