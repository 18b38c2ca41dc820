using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aggregator.Domain;

/// <summary>A hard error in a submitted document: the JSON path at fault and what is wrong there.</summary>
public sealed record DocumentError(string Path, string Message);

public sealed record DocumentParseResult(ReportDocument? Document, IReadOnlyList<DocumentError> Errors)
{
    public bool Succeeded => Document is not null;
}

/// <summary>
/// Reads and writes the report document in its JSON form. Reading checks the document against its edition's
/// template (every field present, no unknown field, numbers of the right kind, rule R7) and reports every error with
/// its JSON path; writing is canonical (template order, no insignificant whitespace), so equal documents hash equal.
/// </summary>
public static class ReportDocumentJson
{
    public const int MaxErrors = 50;
    private const int MaxNarrativeLength = 200_000;
    // 18 digits: what the cell store (numeric(24,6)) holds; the largest published count is about 4 million.
    private const decimal MaxCount = 999_999_999_999_999_999m;
    private const decimal MaxMoney = 1_000_000_000_000m;

    private static readonly string[] NarrativeFields = ["overview", "problems", "otherMatters"];
    private static readonly Dictionary<Edition, Group> Templates = Editions.All.ToDictionary(e => e, BuildTemplate);

    public static DocumentParseResult Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument json;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 16 });
            json = JsonDocument.ParseValue(ref reader);
            try
            {
                // One document and nothing after it but whitespace: `{…}xyz`, `{…}{}` and `{…},` are refused, not stored.
                if (reader.Read())
                {
                    json.Dispose();
                    return Failed("$", $"The body holds more after the JSON document (at byte {reader.TokenStartIndex + 1}); send one document and nothing else.");
                }
            }
            catch (JsonException e)
            {
                json.Dispose();
                return Failed("$", $"The body holds more after the JSON document{Where(e)}; send one document and nothing else.");
            }
        }
        catch (JsonException e)
        {
            return Failed("$", $"The body is not valid JSON{Where(e)}.");
        }
        using (json)
        {
            return Parse(json.RootElement);
        }
    }

    private static string Where(JsonException e) => e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";

    public static DocumentParseResult Parse(JsonElement root)
    {
        var textErrors = new List<DocumentError>();
        CheckText(root, "$", textErrors);
        if (textErrors.Count > 0)
        {
            return new(null, textErrors.Take(MaxErrors).ToArray());
        }
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Failed("$", $"The document must be a JSON object, not {Describe(root)}.");
        }
        if (!root.TryGetProperty("edition", out var editionElement))
        {
            return Failed("$.edition", "Required: the template edition, \"2019\" or \"2021\".");
        }
        if (editionElement.ValueKind != JsonValueKind.String || !Editions.TryParse(editionElement.GetString(), out var edition))
        {
            return Failed("$.edition", $"Must be \"2019\" or \"2021\", not {Describe(editionElement)}.");
        }

        var document = new ReportDocument(edition);
        var errors = new List<DocumentError>();
        var template = Templates[edition];
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var property in root.EnumerateObject())
        {
            var path = "$." + property.Name;
            if (!seen.Add(property.Name))
            {
                errors.Add(new(path, "Duplicate field."));
            }
            else if (property.Name == "edition")
            {
            }
            else if (NarrativeFields.Contains(property.Name))
            {
                ReadNarrative(document, property, errors);
            }
            else if (template.Children.TryGetValue(property.Name, out var node))
            {
                ReadNode(document, node, property.Value, path, errors);
            }
            else
            {
                errors.Add(new(path, $"Unknown field. Expected one of: edition, {string.Join(", ", NarrativeFields.Concat(template.Children.Keys))}."));
            }
        }
        foreach (var (name, _) in template.Children)
        {
            if (!seen.Contains(name))
            {
                errors.Add(new("$." + name, $"Missing: part '{name}' is required in edition {edition.Code()}."));
            }
        }
        return errors.Count == 0 ? new(document, []) : new(null, errors.Take(MaxErrors).ToArray());
    }

    public static byte[] Serialize(ReportDocument document)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, document);
        }
        return buffer.ToArray();
    }

    /// <summary>SHA-256 of the canonical JSON, lower-case hex: equal documents, equal hashes.</summary>
    public static string ContentHash(ReportDocument document) =>
        Convert.ToHexStringLower(SHA256.HashData(Serialize(document)));

    public static void Write(Utf8JsonWriter writer, ReportDocument document)
    {
        writer.WriteStartObject();
        writer.WriteString("edition", document.Edition.Code());
        if (document.Overview is not null)
        {
            writer.WriteString("overview", document.Overview);
        }
        foreach (var (name, node) in Templates[document.Edition].Children)
        {
            writer.WritePropertyName(name);
            WriteNode(writer, document, node);
        }
        if (document.Problems is not null)
        {
            writer.WriteString("problems", document.Problems);
        }
        if (document.OtherMatters is not null)
        {
            writer.WriteString("otherMatters", document.OtherMatters);
        }
        writer.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter writer, ReportDocument document, Node node)
    {
        switch (node)
        {
            case Group group:
                writer.WriteStartObject();
                foreach (var (name, child) in group.Children)
                {
                    writer.WritePropertyName(name);
                    WriteNode(writer, document, child);
                }
                writer.WriteEndObject();
                break;
            case Field { Metric.HasApplicants: true } row:
                writer.WriteStartObject();
                foreach (var applicant in Applicants.All)
                {
                    writer.WritePropertyName(applicant.Key());
                    WriteValue(writer, document.Get(row.Metric, applicant));
                }
                writer.WriteEndObject();
                break;
            case Field field:
                WriteValue(writer, document.Get(field.Metric));
                break;
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, decimal? value)
    {
        if (value is { } number)
        {
            writer.WriteNumberValue(Numbers.Canonical(number));
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void ReadNarrative(ReportDocument document, JsonProperty property, List<DocumentError> errors)
    {
        string? text = null;
        if (property.Value.ValueKind == JsonValueKind.String)
        {
            text = property.Value.GetString();
            if (text!.Length > MaxNarrativeLength)
            {
                errors.Add(new("$." + property.Name, $"Longer than {MaxNarrativeLength} characters."));
                return;
            }
        }
        else if (property.Value.ValueKind != JsonValueKind.Null)
        {
            errors.Add(new("$." + property.Name, $"Must be text or null, not {Describe(property.Value)}."));
            return;
        }
        switch (property.Name)
        {
            case "overview": document.Overview = text; break;
            case "problems": document.Problems = text; break;
            default: document.OtherMatters = text; break;
        }
    }

    private static void ReadNode(ReportDocument document, Node node, JsonElement element, string path, List<DocumentError> errors)
    {
        switch (node)
        {
            case Group group:
                ReadObject(element, path, group.Children.Keys, errors, (name, value, childPath) =>
                    ReadNode(document, group.Children[name], value, childPath, errors));
                break;
            case Field { Metric.HasApplicants: true } row:
                ReadObject(element, path, ApplicantKeys, errors, (name, value, childPath) =>
                {
                    Applicants.TryParse(name, out var applicant);
                    ReadCell(document, row.Metric, applicant, value, childPath, errors);
                });
                break;
            case Field field:
                ReadCell(document, field.Metric, null, element, path, errors);
                break;
        }
    }

    private static readonly string[] ApplicantKeys = Applicants.All.Select(a => a.Key()).ToArray();

    private static void ReadObject(JsonElement element, string path, IEnumerable<string> expected, List<DocumentError> errors,
        Action<string, JsonElement, string> readChild)
    {
        var names = expected as ICollection<string> ?? expected.ToArray();
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, $"Must be an object with fields {string.Join(", ", names)}; got {Describe(element)}."));
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var childPath = path + "." + property.Name;
            if (!seen.Add(property.Name))
            {
                errors.Add(new(childPath, "Duplicate field."));
            }
            else if (names.Contains(property.Name))
            {
                readChild(property.Name, property.Value, childPath);
            }
            else
            {
                errors.Add(new(childPath, $"Unknown field. Expected one of: {string.Join(", ", names)}."));
            }
        }
        foreach (var name in names)
        {
            if (!seen.Contains(name))
            {
                errors.Add(new(path + "." + name, "Missing. Every cell of the edition must be present; use null for a blank cell."));
            }
        }
    }

    private static void ReadCell(ReportDocument document, Metric metric, Applicant? applicant, JsonElement element, string path,
        List<DocumentError> errors)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        if (element.ValueKind != JsonValueKind.Number)
        {
            errors.Add(new(path, $"Must be a number or null (blank), not {Describe(element)}."));
            return;
        }
        if (!element.TryGetDecimal(out var value))
        {
            errors.Add(new(path, $"The number {element.GetRawText()} is out of range."));
            return;
        }
        var problem = CheckValue(metric, value);
        if (problem is not null)
        {
            errors.Add(new(path, problem));
            return;
        }
        document.Set(metric, applicant, value);
    }

    /// <summary>Rule R7 and the number kinds: counts are whole and non-negative (2019 itemsChange may be negative); money is non-negative with at most 6 decimals.</summary>
    public static string? CheckValue(Metric metric, decimal value)
    {
        if (value < 0 && !metric.MayBeNegative)
        {
            return $"R7: must not be negative; got {value}.";
        }
        if (metric.Unit == MetricUnit.Count)
        {
            if (value != decimal.Truncate(value))
            {
                return $"Must be a whole number (a count); got {value}.";
            }
            if (Math.Abs(value) > MaxCount)
            {
                return $"The count {value} is out of range.";
            }
        }
        else
        {
            if (value > MaxMoney)
            {
                return $"The amount {value} 万元 is out of range.";
            }
            if (value * 1_000_000m != decimal.Truncate(value * 1_000_000m))
            {
                return $"Money in 万元 takes at most 6 decimals; got {value}.";
            }
        }
        return null;
    }

    /// <summary>
    /// Every string of the document, field names included, must be text PostgreSQL can store: valid UTF-8 (the JSON reader
    /// checks only the structure), no lone surrogate escape (<c>"\ud800"</c>) and no NUL (<c>"\u0000"</c>), which a text
    /// column refuses. Each offender is named by its JSON path; nothing else of the document is judged until they are fixed.
    /// </summary>
    private static void CheckText(JsonElement element, string path, List<DocumentError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add(new(path, "A field name here is not valid text (invalid UTF-8 or a lone surrogate escape such as \\ud800)."));
                        continue;
                    }
                    var childPath = path + "." + name;
                    if (name.Contains('\0'))
                    {
                        errors.Add(new(childPath.Replace("\0", "\\u0000"), "A field name must not contain NUL (\\u0000)."));
                        continue;
                    }
                    CheckText(property.Value, childPath, errors);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckText(item, $"{path}[{index++}]", errors);
                }
                break;
            case JsonValueKind.String:
                string text;
                try
                {
                    text = element.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    errors.Add(new(path, "Not valid text: the string holds bytes that are not UTF-8, or a lone surrogate escape such as \\ud800."));
                    break;
                }
                if (text.Contains('\0'))
                {
                    errors.Add(new(path, "Must not contain NUL (\\u0000): it is not text and cannot be stored; remove it."));
                }
                break;
        }
    }

    private static DocumentParseResult Failed(string path, string message) => new(null, [new DocumentError(path, message)]);

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the text \"{Truncate(element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => element.ValueKind.ToString(),
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>The shape of an edition's document: groups down to fields, built from the metric paths.</summary>
    public static IReadOnlyDictionary<string, object> Shape(Edition edition) => ToShape(Templates[edition]);

    private static IReadOnlyDictionary<string, object> ToShape(Group group) =>
        group.Children.ToDictionary(c => c.Key, c => c.Value switch
        {
            Group g => (object)ToShape(g),
            Field f => f.Metric,
            _ => throw new InvalidOperationException(),
        });

    private abstract record Node;

    private sealed record Group(Dictionary<string, Node> Children) : Node;

    private sealed record Field(Metric Metric) : Node;

    private static Group BuildTemplate(Edition edition)
    {
        var root = new Group(new Dictionary<string, Node>());
        foreach (var metric in MetricCatalogue.FieldsOf(edition))
        {
            var parts = metric.Code.Split('.');
            var group = root;
            foreach (var part in parts[..^1])
            {
                if (!group.Children.TryGetValue(part, out var child))
                {
                    child = new Group(new Dictionary<string, Node>());
                    group.Children.Add(part, child);
                }
                group = (Group)child;
            }
            group.Children.Add(parts[^1], new Field(metric));
        }
        return root;
    }
}

/// <summary>Lets the document travel inside API responses in its canonical JSON form.</summary>
public sealed class ReportDocumentJsonConverter : JsonConverter<ReportDocument>
{
    public override ReportDocument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var json = JsonDocument.ParseValue(ref reader);
        var result = ReportDocumentJson.Parse(json.RootElement);
        return result.Document ?? throw new JsonException(string.Join(" ", result.Errors.Select(e => $"{e.Path}: {e.Message}")));
    }

    public override void Write(Utf8JsonWriter writer, ReportDocument value, JsonSerializerOptions options) =>
        ReportDocumentJson.Write(writer, value);
}
