using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aggregator.Api.Tests.Platform.Fuzz;

/// <summary>
/// Makes request number <c>i</c> of a run from the seed alone (its own <see cref="Random"/>, seeded with the run's seed and
/// <c>i</c>), so any request can be made again without the ones before it. For an operation of the OpenAPI document it
/// first builds a valid request — parameters and body from the schemas, with values the API knows (agencies, divisions,
/// sectors, metrics, years, fixture documents) — then, most of the time, mutates it: the body (types, missing and extra
/// fields, huge numbers, deep nesting, huge strings, invalid UTF-8, lone surrogates, NUL, trailing garbage), the query
/// (injection strings, repeats, wrong types, broken escapes), the path, the headers (content types, charsets, keys), the
/// method, or the HTTP framing itself.
/// </summary>
public sealed class RequestGenerator(OpenApiOperations openApi, FuzzWorld world, int seed)
{
    /// <summary>Strings an attacker tries in paths, queries and bodies.</summary>
    public static readonly string[] Injections =
    [
        "' OR 1=1--", "'; DROP TABLE agencies;--", "\" OR \"\"=\"", "1; SELECT pg_sleep(10)", "' UNION SELECT * FROM api_keys--", "%' OR '%'='",
        "../", "../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f", "/./././", "....//", "%00", "\0", "a\0b", "\r\nX-Injected: 1", "%0d%0aSet-Cookie: x=1",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "%s%s%s%n", "{0}{1}{999999}", "%x%x%x", "${jndi:ldap://x/a}",
        "{{7*7}}", "#{7*7}", "=cmd|' /C calc'!A0", "@SUM(1+1)", "$(id)", "`id`", "|| id", "*", "%", "_", "\\", "'", "\"", ";", "&", "#", "?", "+", " ",
        "\u202e", "\ufeff", "\ud83d\ude00", "𠀀", "ﷺ", "İ", "ǅ", "ß", "１２３", "٣", "NaN", "Infinity", "-0", "null", "undefined", "true", "[]", "{}",
        "0x41", "1e9999", "-1", "2147483648", "-2147483649", "9223372036854775808", "00000000-0000-0000-0000-000000000000", "CON", "nul", "~root",
    ];

    private static readonly string[] RawNumbers =
    [
        "1e308", "-1e308", "1e309", "-0", "-0.0", "0e0", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "1e-400", "4.9e-324", "0.000001", "0.0000001", "-1", "1.5", "123456789012345678901234567890", "1E2", "1e+2", "100.000000000000000000001",
        "99999999999999999999.999999", "79228162514264337593543950336", "2147483648", "-2147483649",
    ];

    private static readonly string[] NotJsonNumbers = ["NaN", "Infinity", "-Infinity", "+1", ".5", "1.", "01", "0x10", "1_000", "--1", "1e", "１"];

    private static readonly string[] OddMethods =
        ["PATCH", "TRACE", "PROPFIND", "OPTIONS", "HEAD", "DELETE", "PUT", "POST", "GET", "get", "FOO", "M-SEARCH", "MKCOL", "LOCK", "COPY", "PURGE", "SEARCH", "QUERY"];

    private static readonly string[] ContentTypes =
    [
        "", "text/plain", "text/html", "application/json; charset=utf-16", "application/json; charset=latin1", "application/json; charset=utf-7",
        "application/json; charset=x-made-up", "application/json;charset=", "application/json; charset=\"utf-8\"", "application/json; charset=UTF-8; x=y",
        "application/xml", "multipart/form-data", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json, text/plain",
        "APPLICATION/JSON", "application/problem+json", "application/merge-patch+json", "*/*", "application/x-ndjson", "application/jsonl",
        "text/plain; charset=gb18030", "text/html; charset=gbk", "text/plain; charset=utf-7", "text/html; charset=x-made-up", "application/octet-stream",
        "json", "/", ";", "application/", "text/plain; charset=utf-8; charset=latin1", "application/vnd.api+json", "image/png",
    ];

    /// <summary>A request number's own random source: the same seed and number give the same request.</summary>
    public static Random RandomFor(int seed, int index) => new(unchecked((int)((uint)seed * 2654435761u ^ (uint)index * 40503u ^ (uint)index << 16)));

    private readonly (OpenApiOperation Operation, int Weight)[] weighted = [.. openApi.Operations.Select(o => (o, Weight(o)))];

    private static int Weight(OpenApiOperation operation) => operation.Id switch
    {
        "SubmitReport" => 14,
        "SubmitReports" => 5,
        "RegisterAgency" => 6,
        "ImportReport" => 5,
        "IssueApiKey" => 4,
        "RevokeApiKey" => 3,
        _ => 3,
    };

    /// <summary>A request being made: parts that mutations change before it is written out.</summary>
    private sealed class Draft
    {
        public required string Operation;
        public required string Method;
        public required List<string> Segments;
        public List<KeyValuePair<string, string>> Query = [];
        public List<KeyValuePair<string, string>> Headers = [];
        public byte[] Body = [];
        public JsonNode? Json;
        public string? Template;
        public readonly List<string> Mutations = [];
        public bool Protocol;
        public bool Chunked;
        public byte[]? FixedBody;
        /// <summary>Method and path as the operation has them: the answer must be one the operation declares.</summary>
        public bool SameOperation = true;
        /// <summary>Writes the head itself, from the method, target, header lines and body length as they are when the request is built.</summary>
        public Func<string, string, List<string>, int, byte[]>? RawHead;

        public string Target => "/" + string.Join("/", Segments) + (Query.Count == 0 ? "" : "?" + string.Join("&", Query.Select(q => q.Value is null ? q.Key : $"{q.Key}={q.Value}")));
    }

    public FuzzRequest Generate(int index)
    {
        var random = RandomFor(seed, index);
        var draft = random.Next(100) < 4 ? NoOperation(random) : Valid(Pick(random), random);
        if (random.Next(100) >= 30)
        {
            var count = 1 + (random.Next(100) < 25 ? 1 + random.Next(2) : 0);
            for (var i = 0; i < count; i++)
            {
                Mutate(draft, random);
            }
        }
        return Build(index, draft);
    }

    /// <summary>The valid request for an operation, with the given key (or none) — for the rate-limit phase.</summary>
    public FuzzRequest ValidRequest(int index, string operationId, string? key)
    {
        var random = RandomFor(seed, index);
        var draft = Valid(openApi.Operations.Single(o => o.Id == operationId), random);
        draft.Headers.RemoveAll(h => h.Key == "X-Api-Key");
        if (key is not null)
        {
            draft.Headers.Add(new("X-Api-Key", key));
        }
        return Build(index, draft);
    }

    private OpenApiOperation Pick(Random random)
    {
        var total = weighted.Sum(w => w.Weight);
        var at = random.Next(total);
        foreach (var (operation, weight) in weighted)
        {
            if ((at -= weight) < 0)
            {
                return operation;
            }
        }
        return weighted[^1].Operation;
    }

    private FuzzRequest Build(int index, Draft draft)
    {
        var target = draft.Target;
        var body = draft.FixedBody ?? (draft.Json is not null && draft.Body.Length == 0 ? Encoding.UTF8.GetBytes(draft.Json.ToJsonString(JsonText)) : draft.Body);
        var (path, query) = target.IndexOf('?') is var q and >= 0 ? (target[..q], target[q..]) : (target, "");
        if (path.Contains("%00", StringComparison.Ordinal) || query.Any(c => c > 0x7E))
        {
            // Kestrel itself refuses a NUL in the path and raw non-ASCII in the query (400, no body) before the app sees them.
            draft.Protocol = true;
        }
        if (draft.Chunked)
        {
            body = Chunk(body);
        }
        if (draft.Method.Length + target.Length + 10 > KestrelRequestLine || draft.Headers.Count > KestrelHeaderCount - 4
            || draft.Headers.Sum(h => h.Key.Length + h.Value.Length + 4) > KestrelHeadersBytes)
        {
            draft.Protocol = true; // past Kestrel's limits: it answers 414 or 431 itself, or closes the connection
        }
        var head = draft.RawHead is { } raw
            ? raw(draft.Method, target, [.. draft.Headers.Select(h => $"{h.Key}: {h.Value}")], body.Length)
            : RawHttp.Head(draft.Method, target, world.Port, draft.Chunked ? [.. draft.Headers, new("Transfer-Encoding", "chunked")] : draft.Headers,
                draft.Chunked ? null : body.Length > 0 || draft.Method is "POST" or "PUT" or "PATCH" ? body.Length : null);
        return new FuzzRequest(index, draft.Operation, draft.Method, target, head, body, draft.Mutations, draft.Protocol, draft.SameOperation && !draft.Protocol);
    }

    private static byte[] Chunk(byte[] body)
    {
        var chunked = new MemoryStream();
        for (var at = 0; at < body.Length; at += 4096)
        {
            var size = Math.Min(4096, body.Length - at);
            chunked.Write(Encoding.ASCII.GetBytes($"{size:x}\r\n"));
            chunked.Write(body, at, size);
            chunked.Write("\r\n"u8);
        }
        chunked.Write("0\r\n\r\n"u8);
        return chunked.ToArray();
    }

    // ---------------------------------------------------------------- valid requests, from the OpenAPI document

    private Draft NoOperation(Random random)
    {
        string[] paths =
        [
            "", "swagger/v1/swagger.json", "swagger/index.html", "health/live", "health/ready", "api", "api/v1", "api/v2/agencies", "api/v1/nothing",
            "api/v1/agencies/x/reports", "favicon.ico", ".env", ".git/config", "api/v1/reports/bulk/extra", "api/v1/api-keys/x/y",
        ];
        var path = paths[random.Next(paths.Length)];
        return new Draft
        {
            Operation = "(no operation)", Method = random.Next(4) == 0 ? OddMethods[random.Next(OddMethods.Length)] : "GET",
            Segments = path.Length == 0 ? [""] : [.. path.Split('/')],
        };
    }

    private Draft Valid(OpenApiOperation operation, Random random)
    {
        var agency = world.Agencies[random.Next(world.Agencies.Count)];
        var year = ReportYear(random);
        var values = new Dictionary<string, string>
        {
            ["code"] = operation.Path.Contains("/divisions/") ? Division(random) : agency.Code,
            ["year"] = year.ToString(CultureInfo.InvariantCulture),
            ["revision"] = (1 + random.Next(3)).ToString(CultureInfo.InvariantCulture),
            ["id"] = random.Next(4) == 0 ? RandomGuid(random).ToString() : world.SpareKeys[random.Next(world.SpareKeys.Count)].Id,
        };
        var draft = new Draft
        {
            Operation = operation.Id, Method = operation.Method, Template = operation.Path,
            Segments = [.. operation.Path.TrimStart('/').Split('/').Select(s => s.StartsWith('{') ? Uri.EscapeDataString(values[s.Trim('{', '}')]) : s)],
        };
        foreach (var parameter in operation.Parameters)
        {
            if (parameter.In == "query" && (parameter.Required || random.Next(100) < 45))
            {
                foreach (var value in QueryValues(operation, parameter, agency, random))
                {
                    draft.Query.Add(new(parameter.Name, Uri.EscapeDataString(value)));
                }
            }
            else if (parameter.In == "header" && parameter.Name == "If-Match" && random.Next(100) < 15)
            {
                draft.Headers.Add(new("If-Match", random.Next(3) == 0 ? "*" : $"\"{Convert.ToHexStringLower(RandomGuid(random).ToByteArray())}\""));
            }
        }
        if (operation.Id == "ImportReport" && random.Next(100) < 50)
        {
            // A submission: the parameters it needs, together.
            draft.Query.RemoveAll(q => q.Key is "submit" or "agency" or "year");
            draft.Query.Add(new("submit", "true"));
            draft.Query.Add(new("agency", Uri.EscapeDataString(agency.Code)));
            if (random.Next(3) > 0)
            {
                draft.Query.Add(new("year", year.ToString(CultureInfo.InvariantCulture)));
            }
        }
        var key = Key(operation, agency, random);
        if (key is not null)
        {
            draft.Headers.Add(new("X-Api-Key", key));
        }
        if (operation.Bodies.Count > 0)
        {
            var (mediaType, schema) = operation.Bodies.ElementAt(random.Next(operation.Bodies.Count));
            draft.Headers.Add(new("Content-Type", mediaType.StartsWith("application/json") && random.Next(2) == 0 ? mediaType + "; charset=utf-8" : mediaType));
            switch (mediaType)
            {
                case "application/json" when operation.Id == "SubmitReport":
                    draft.Json = Document(year, random);
                    break;
                case "application/json":
                    draft.Json = FromSchema(schema!.Value, null, random, agency, 0);
                    Consistent(operation.Id, draft.Json!.AsObject(), agency, random);
                    break;
                case "application/x-ndjson" or "application/jsonl":
                    draft.Body = Lines(random, 1 + random.Next(4));
                    break;
                default:
                    draft.Body = Published(mediaType, random);
                    break;
            }
        }
        if (operation.Method == "GET" && random.Next(100) < 5)
        {
            draft.Headers.Add(new("If-None-Match", random.Next(2) == 0 ? "*" : "\"0\""));
        }
        return draft;
    }

    private int ReportYear(Random random) => random.Next(100) < 92 ? FuzzWorld.FirstYear + random.Next(world.LastYear - FuzzWorld.FirstYear + 1) : world.LastYear + 1;

    private string Division(Random random) => world.Divisions[random.Next(world.Divisions.Count)];

    private string Prefix(Random random)
    {
        var division = Division(random);
        return division[..(2 * (1 + random.Next(3)))];
    }

    private IEnumerable<string> QueryValues(OpenApiOperation operation, OpenApiParameter parameter, FuzzAgency agency, Random random)
    {
        string Year() => ReportYear(random).ToString(CultureInfo.InvariantCulture);
        switch (parameter.Name)
        {
            case "division":
                yield return Prefix(random);
                break;
            case "sector":
                yield return world.Sectors[random.Next(world.Sectors.Count)];
                break;
            case "page":
                yield return (1 + random.Next(3)).ToString(CultureInfo.InvariantCulture);
                break;
            case "pageSize":
                yield return (1 + random.Next(200)).ToString(CultureInfo.InvariantCulture);
                break;
            case "metric":
                var metrics = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => world.Metrics[random.Next(world.Metrics.Count)]).ToArray();
                if (random.Next(2) == 0)
                {
                    yield return string.Join(",", metrics);
                }
                else
                {
                    foreach (var metric in metrics)
                    {
                        yield return metric;
                    }
                }
                break;
            case "groupBy":
                var keys = FuzzWorld.Dimensions.OrderBy(_ => random.Next()).Take(1 + random.Next(2)).ToArray();
                yield return string.Join(",", keys);
                break;
            case "format":
                yield return random.Next(2) == 0 ? "csv" : "json";
                break;
            case "labels":
                yield return random.Next(2) == 0 ? "zh" : "codes";
                break;
            case "edition":
                yield return random.Next(2) == 0 ? "2019" : "2021";
                break;
            case "year" or "with" or "yearFrom" or "yearTo":
                yield return Year();
                break;
            case "agency":
                yield return agency.Code;
                break;
            case "from" or "to":
                yield return AuditDays.AddDays(parameter.Name == "from" ? -random.Next(3_000) : random.Next(3_000)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                break;
            case "submit" or "hasFindings":
                yield return random.Next(2) == 0 ? "true" : "false";
                break;
            case "applicant":
                yield return FuzzWorld.Applicants[random.Next(FuzzWorld.Applicants.Length)];
                break;
            case "compare":
                yield return "previousYear";
                break;
            case "revision":
                yield return (1 + random.Next(3)).ToString(CultureInfo.InvariantCulture);
                break;
            default:
                var value = FromSchema(parameter.Schema, parameter.Name, random, agency, 0);
                yield return value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
                break;
        }
    }

    private string? Key(OpenApiOperation operation, FuzzAgency agency, Random random)
    {
        var roll = random.Next(100);
        if (!operation.Secured)
        {
            return roll < 70 ? null : roll < 80 ? world.AdminKey : roll < 90 ? world.RegionKey : MadeUpKey(random);
        }
        return roll switch
        {
            < 45 => world.AdminKey,
            < 62 => world.RegionKey,
            < 80 => agency.BureauKey ?? world.AdminKey,
            < 86 => world.SpareKeys[random.Next(world.SpareKeys.Count)].Key,
            < 92 => MadeUpKey(random),
            _ => null,
        };
    }

    private static string MadeUpKey(Random random)
    {
        var bytes = new byte[48];
        random.NextBytes(bytes);
        return $"agg_{Convert.ToHexStringLower(bytes, 0, 16)}_{Convert.ToHexStringLower(bytes, 16, 32)}";
    }

    /// <summary>A value for a schema, valid for it; property names the API gives meaning to take values it knows.</summary>
    private JsonNode? FromSchema(JsonElement schema, string? name, Random random, FuzzAgency agency, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return JsonValue.Create(Word(random));
        }
        schema = openApi.Resolve(schema);
        switch (name)
        {
            case "code":
                return JsonValue.Create(random.Next(100) < 85 ? $"fz-{random.Next(1_000_000):x}-{random.Next(1000)}" : world.Agencies[random.Next(world.Agencies.Count)].Code);
            case "name":
                return JsonValue.Create($"模糊测试机关{random.Next(10_000)}号");
            case "divisionCode":
                return JsonValue.Create(random.Next(100) < 50 ? agency.Division : Division(random));
            case "sector":
                return JsonValue.Create(world.Sectors[random.Next(world.Sectors.Count)]);
            case "role":
                return JsonValue.Create(new[] { "admin", "region", "bureau" }[random.Next(3)]);
            case "agency":
                return JsonValue.Create(agency.Code);
            case "division":
                return JsonValue.Create(Prefix(random));
            case "activeFrom" or "activeTo":
                return random.Next(2) == 0 ? null : JsonValue.Create(ReportYear(random));
            case "expiresAt":
                return random.Next(2) == 0 ? null : JsonValue.Create(Future(random));
        }
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var options = oneOf.EnumerateArray().ToArray();
            return FromSchema(options[random.Next(options.Length)], name, random, agency, depth + 1);
        }
        if (schema.TryGetProperty("nullable", out var nullable) && nullable.GetBoolean() && random.Next(100) < 15)
        {
            return null;
        }
        if (schema.TryGetProperty("enum", out var choices))
        {
            var values = choices.EnumerateArray().ToArray();
            return JsonNode.Parse(values[random.Next(values.Length)].GetRawText());
        }
        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : "object";
        switch (type)
        {
            case "object":
                var result = new JsonObject();
                var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToHashSet() : [];
                if (schema.TryGetProperty("properties", out var properties))
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        if (required.Contains(property.Name) || random.Next(2) == 0)
                        {
                            result[property.Name] = FromSchema(property.Value, property.Name, random, agency, depth + 1);
                        }
                    }
                }
                return result;
            case "array":
                var array = new JsonArray();
                for (var i = random.Next(3); i > 0; i--)
                {
                    array.Add(FromSchema(schema.GetProperty("items"), name, random, agency, depth + 1));
                }
                return array;
            case "integer":
                var minimum = schema.TryGetProperty("minimum", out var min) ? (long)min.GetDouble() : 0;
                return JsonValue.Create(minimum + (random.Next(4) == 0 ? random.Next(100_000) : random.Next(50)));
            case "number":
                return JsonValue.Create(Math.Round(random.NextDouble() * 1000, 2));
            case "boolean":
                return JsonValue.Create(random.Next(2) == 0);
            default:
                return schema.TryGetProperty("format", out var format) && format.GetString() == "date-time"
                    ? JsonValue.Create(Future(random))
                    : JsonValue.Create(Word(random));
        }
    }

    /// <summary>Fixes a generated body the way a real client would fill it (a bureau key has an agency, a region key a division), mostly.</summary>
    private void Consistent(string operationId, JsonObject body, FuzzAgency agency, Random random)
    {
        if (operationId != "IssueApiKey" || random.Next(100) < 15)
        {
            return;
        }
        body.Remove("agency");
        body.Remove("division");
        switch (body["role"]?.GetValue<string>())
        {
            case "bureau":
                body["agency"] = agency.Code;
                break;
            case "region":
                body["division"] = Prefix(random);
                break;
        }
    }

    private static string Word(Random random)
    {
        string[] words = ["甲", "乙", "测试", "alpha", "beta", "x", "值", "报告", "0", "2021"];
        return words[random.Next(words.Length)] + random.Next(1000).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A report document for the year: a fixture of the edition the year takes, with some cells changed (so most are
    /// new revisions), or one generated from the edition's schema. Now and then the other edition.
    /// </summary>
    private JsonNode Document(int year, Random random)
    {
        var edition = (year <= 2020) == (random.Next(100) >= 8) ? "2019" : "2021";
        if (random.Next(100) < 55)
        {
            var fixtures = edition == "2019" ? world.Documents2019 : world.Documents2021;
            var document = JsonNode.Parse(fixtures[random.Next(fixtures.Count)])!;
            var leaves = Leaves(document);
            for (var i = random.Next(4); i > 0 && leaves.Count > 0; i--)
            {
                var (parent, key) = leaves[random.Next(leaves.Count)];
                parent[key] = random.Next(5) == 0 ? null : JsonValue.Create(random.Next(500));
            }
            if (random.Next(4) == 0)
            {
                document["overview"] = $"模糊测试 {random.Next()}";
            }
            return document;
        }
        return FromSchema(openApi.Schema($"ReportDocument{edition}"), null, random, world.Agencies[0], 0)!;
    }

    /// <summary>The number and null leaves under objects: (object, property).</summary>
    private static List<(JsonObject Parent, string Key)> Leaves(JsonNode node)
    {
        var leaves = new List<(JsonObject, string)>();
        void Walk(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                foreach (var (key, child) in o.ToArray())
                {
                    if (child is null || child is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
                    {
                        leaves.Add((o, key));
                    }
                    else
                    {
                        Walk(child);
                    }
                }
            }
        }
        Walk(node);
        return leaves;
    }

    private byte[] Lines(Random random, int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var agency = world.Agencies[random.Next(world.Agencies.Count)];
            var year = ReportYear(random);
            var line = new JsonObject { ["agency"] = agency.Code, ["year"] = year, ["document"] = Document(year, random) };
            text.Append(line.ToJsonString(JsonText)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private byte[] Published(string mediaType, Random random)
    {
        var candidates = world.Published.Where(p => p.MediaType == mediaType).ToArray();
        var published = candidates.Length > 0 ? candidates[random.Next(candidates.Length)] : world.Published[random.Next(world.Published.Count)];
        return published.Bytes;
    }

    // ---------------------------------------------------------------- mutations

    private void Mutate(Draft draft, Random random)
    {
        var roll = random.Next(100);
        if (roll < 38 && (draft.Json is not null || draft.Body.Length > 0))
        {
            MutateBody(draft, random);
        }
        else if (roll < 54)
        {
            MutateQuery(draft, random);
        }
        else if (roll < 66)
        {
            MutatePath(draft, random);
        }
        else if (roll < 82)
        {
            MutateHeaders(draft, random);
        }
        else if (roll < 90)
        {
            var method = OddMethods[random.Next(OddMethods.Length)];
            draft.Mutations.Add($"method {method}");
            draft.SameOperation &= method == draft.Method;
            draft.Method = method;
        }
        else if (roll < 97)
        {
            MutateProtocol(draft, random);
        }
        else
        {
            // A body where none is expected, or a huge one where one is.
            var size = random.Next(100) < 95 ? 1 + random.Next(64 * 1024) : (1 << 20) + random.Next(5 << 20);
            var body = new byte[size];
            random.NextBytes(body);
            draft.Json = null;
            draft.Body = body;
            draft.Mutations.Add($"random body {size:N0} bytes");
        }
    }

    private void MutateBody(Draft draft, Random random)
    {
        var body = draft.Json is not null ? draft.Json.ToJsonString(JsonText) : Encoding.UTF8.GetString(draft.Body);
        var isJson = draft.Json is not null || draft.Headers.Any(h => h.Key == "Content-Type" && h.Value.Contains("ndjson"));
        var json = draft.Json ?? (isJson ? TryParseFirstLine(body) : null);
        string Placeholder(int n) => $"__FUZZ_RAW_{n}__";
        var raw = new List<string>();
        JsonNode Raw(string text)
        {
            raw.Add(text);
            return JsonValue.Create(Placeholder(raw.Count - 1));
        }
        string? kind = null;
        var choice = random.Next(json is not null ? 22 : 8);
        if (json is not null && choice >= 8)
        {
            var nodes = Nodes(json);
            var (parent, key, node) = nodes[random.Next(nodes.Count)];
            void Set(JsonNode? value)
            {
                if (parent is JsonObject o)
                {
                    o[key!] = value;
                }
                else if (parent is JsonArray a)
                {
                    a[int.Parse(key!)] = value;
                }
            }
            switch (choice)
            {
                case 8 or 9:
                    JsonNode?[] others = [JsonValue.Create("12"), JsonValue.Create(true), new JsonArray(), new JsonObject(), JsonValue.Create(1.5), JsonValue.Create("abc"), null,
                        JsonValue.Create(""), new JsonArray(1, 2), JsonValue.Create(-1)];
                    var other = others[random.Next(others.Length)];
                    kind = $"wrong type at {key}: {other?.ToJsonString() ?? "null"}";
                    Set(other);
                    break;
                case 10 or 11:
                    var objects = nodes.Select(n => n.Node).OfType<JsonObject>().Where(o => o.Count > 0).Prepend(json as JsonObject).OfType<JsonObject>().ToArray();
                    if (objects.Length > 0)
                    {
                        var target = objects[random.Next(objects.Length)];
                        var removed = target.ElementAt(random.Next(target.Count)).Key;
                        target.Remove(removed);
                        kind = $"missing field {removed}";
                    }
                    break;
                case 12:
                    var into = nodes.Select(n => n.Node).OfType<JsonObject>().Prepend(json as JsonObject).OfType<JsonObject>().ToArray();
                    string[] names = ["extra", "__proto__", "constructor", "$type", "$ref", "", "Edition", "EDITION", "overview ", new string('k', 1000), "字段", "a.b", "0"];
                    var name = names[random.Next(names.Length)];
                    if (into.Length > 0 && !into[0].ContainsKey(name))
                    {
                        into[random.Next(into.Length)][name] = random.Next(2) == 0 ? JsonValue.Create(1) : JsonValue.Create("x");
                        kind = $"extra field '{(name.Length > 20 ? name[..20] + "…" : name)}'";
                    }
                    break;
                case 13 or 14:
                    var number = random.Next(4) == 0 ? NotJsonNumbers[random.Next(NotJsonNumbers.Length)] : RawNumbers[random.Next(RawNumbers.Length)];
                    kind = $"number {number} at {key}";
                    Set(random.Next(5) == 0 ? JsonValue.Create(number) : Raw(number));
                    break;
                case 15:
                    var depth = new[] { 64, 65, 200, 1000, 10_000 }[random.Next(5)];
                    var array = random.Next(2) == 0;
                    kind = $"nesting {depth} deep ({(array ? "arrays" : "objects")})";
                    Set(Raw(array ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth)));
                    break;
                case 16:
                    var roll = random.Next(100);
                    var length = roll < 75 ? 1_000 + random.Next(20_000) : roll < 95 ? 100_000 + random.Next(500_000) : (1 << 20) + random.Next(2 << 20);
                    kind = $"string of {length:N0} chars at {key}";
                    Set(JsonValue.Create(new string("字a"[random.Next(2)], length)));
                    break;
                case 17:
                    string[] escapes = ["\\ud800", "\\udfff", "a\\ud800b", "\\udc00\\ud800", "\\u0000", "a\\u0000", "\\u001f", "\\uFFFE", "\\uFFFF", "\\ud83d\\ude00", "\\/", "\\x41", "\\u12"];
                    var escape = escapes[random.Next(escapes.Length)];
                    kind = $"string \"{escape}\" at {key}";
                    Set(Raw($"\"{escape}\""));
                    break;
                case 18:
                    char[] controls = ['\u0001', '\t', '\n', '\u007f', '\u0085', '\u2028'];
                    var control = controls[random.Next(controls.Length)];
                    kind = $"raw U+{(int)control:X4} in a string at {key}";
                    Set(Raw($"\"a{control}b\""));
                    break;
                case 19:
                    JsonNode?[] wholes = [new JsonArray(), JsonValue.Create("document"), JsonValue.Create(123), null, JsonValue.Create(true), new JsonArray(json.DeepClone())];
                    var whole = wholes[random.Next(wholes.Length)];
                    kind = $"body is {(whole is null ? "null" : whole.ToJsonString() is { Length: < 40 } w ? w : whole.GetValueKind().ToString())}";
                    json = whole;
                    body = whole is null ? "null" : body;
                    break;
                default:
                    var injection = Injections[random.Next(Injections.Length)];
                    kind = $"injection {Show(injection)} at {key}";
                    Set(JsonValue.Create(injection));
                    break;
            }
            if (json is not null)
            {
                body = draft.Json is not null || !isJson ? json.ToJsonString(JsonText) : ReplaceFirstLine(body, json.ToJsonString(JsonText));
            }
            for (var i = 0; i < raw.Count; i++)
            {
                body = body.Replace($"\"{Placeholder(i)}\"", raw[i]);
            }
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        if (kind is null)
        {
            switch (random.Next(8))
            {
                case 0:
                    var at = StringPosition(bytes, random);
                    byte[][] invalid = [[0xFF], [0xFE, 0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE4, 0xB8], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]];
                    var inserted = invalid[random.Next(invalid.Length)];
                    bytes = [.. bytes[..at], .. inserted, .. bytes[at..]];
                    kind = $"invalid UTF-8 {Convert.ToHexString(inserted)} at byte {at}";
                    break;
                case 1:
                    string[] trailing = ["xyz", "{}", ",", "\0", "]]]", "\n{\"a\":1}", " \u00a0", "//c", "/*"];
                    var tail = trailing[random.Next(trailing.Length)];
                    bytes = [.. bytes, .. Encoding.UTF8.GetBytes(tail)];
                    kind = $"trailing {Show(tail)}";
                    break;
                case 2:
                    var cut = random.Next(Math.Max(1, bytes.Length));
                    bytes = bytes[..cut];
                    kind = $"truncated at byte {cut}";
                    break;
                case 3:
                    bytes = [];
                    kind = "empty body";
                    break;
                case 4:
                    bytes = [0xEF, 0xBB, 0xBF, .. bytes];
                    kind = "UTF-8 BOM";
                    break;
                case 5:
                    var brace = Array.IndexOf(bytes, (byte)'{');
                    if (brace >= 0)
                    {
                        bytes = [.. bytes[..(brace + 1)], .. "\"edition\":\"2019\",\"edition\":\"2021\","u8.ToArray(), .. bytes[(brace + 1)..]];
                        kind = "duplicate keys";
                    }
                    else
                    {
                        bytes = [.. bytes, 0];
                        kind = "trailing NUL";
                    }
                    break;
                case 6:
                    var nul = StringPosition(bytes, random);
                    bytes = [.. bytes[..nul], 0, .. bytes[nul..]];
                    kind = $"raw NUL at byte {nul}";
                    break;
                default:
                    var text = Encoding.UTF8.GetString(bytes);
                    text = random.Next(2) == 0 ? "/* comment */" + text : text.Replace('"', '\'');
                    bytes = Encoding.UTF8.GetBytes(text);
                    kind = "comment or single quotes";
                    break;
            }
        }
        draft.Json = null;
        draft.Body = bytes;
        draft.Mutations.Add(kind);
    }

    private static JsonNode? TryParseFirstLine(string body)
    {
        try
        {
            var node = JsonNode.Parse(body.Split('\n')[0], documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            _ = node?.ToJsonString(JsonText); // a lone surrogate escape left by an earlier mutation cannot be written again
            return node;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string ReplaceFirstLine(string body, string line)
    {
        var newline = body.IndexOf('\n');
        return newline < 0 ? line : line + body[newline..];
    }

    /// <summary>Every node with its parent and its key in the parent (property name or array index).</summary>
    private static List<(JsonNode? Parent, string? Key, JsonNode? Node)> Nodes(JsonNode root)
    {
        var nodes = new List<(JsonNode?, string?, JsonNode?)>();
        void Walk(JsonNode? parent, string? key, JsonNode? node)
        {
            if (parent is not null)
            {
                nodes.Add((parent, key, node));
            }
            switch (node)
            {
                case JsonObject o:
                    foreach (var (k, child) in o.ToArray())
                    {
                        Walk(o, k, child);
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        Walk(a, i.ToString(CultureInfo.InvariantCulture), a[i]);
                    }
                    break;
            }
        }
        Walk(null, null, root);
        if (nodes.Count == 0)
        {
            nodes.Add((null, null, root));
        }
        return nodes;
    }

    /// <summary>A byte position inside a JSON string (after an opening quote), or a random position.</summary>
    private static int StringPosition(byte[] bytes, Random random)
    {
        var quotes = new List<int>();
        for (var i = 0; i + 1 < bytes.Length && quotes.Count < 400; i++)
        {
            if (bytes[i] == ':' && bytes[i + 1] == '"')
            {
                quotes.Add(i + 2);
            }
        }
        return quotes.Count > 0 ? quotes[random.Next(quotes.Count)] : random.Next(bytes.Length + 1);
    }

    private void MutateQuery(Draft draft, Random random)
    {
        var existing = draft.Query.Count > 0 ? draft.Query[random.Next(draft.Query.Count)] : new KeyValuePair<string, string>("page", "1");
        switch (random.Next(9))
        {
            case 0 or 1:
                var injection = Injections[random.Next(Injections.Length)];
                var encoded = random.Next(3) == 0 ? Unreserved(injection) : Uri.EscapeDataString(injection);
                draft.Query.Remove(existing);
                draft.Query.Add(new(existing.Key, encoded));
                draft.Mutations.Add($"query {existing.Key}={Show(injection)}");
                break;
            case 2:
                draft.Query.Add(random.Next(2) == 0 ? existing : new(existing.Key, existing.Value + "x"));
                draft.Mutations.Add($"query {existing.Key} twice");
                break;
            case 3:
                string[] wrong = ["abc", "-1", "0", "99999999999999999999", "1e3", "2021.5", "maybe", "not-a-date", "-2147483649", "", "%20", "TRUE", "1,2", "[1]", "0x10"];
                var value = wrong[random.Next(wrong.Length)];
                string[] names = ["page", "pageSize", "year", "with", "from", "to", "submit", "hasFindings", "revision", "yearFrom", "yearTo", "format", "labels", "edition", "groupBy", "metric", "applicant", "compare", "division", "sector", "agency"];
                var name = random.Next(2) == 0 ? existing.Key : names[random.Next(names.Length)];
                draft.Query.Add(new(name, value));
                draft.Mutations.Add($"query {name}={value}");
                break;
            case 4:
                string[] unknown = ["foo", "PAGE", "Page", "page[]", "page[0]", "__proto__", "$filter", "q", "callback", "_", "a.b", "%00", "%zz", "%E4%B8", "中文"];
                var key = unknown[random.Next(unknown.Length)];
                draft.Query.Add(new(key, "1"));
                draft.Mutations.Add($"query unknown {key}");
                break;
            case 5:
                var length = random.Next(100) < 80 ? 500 + random.Next(7_000) : 9_000 + random.Next(40_000);
                draft.Query.Add(new(existing.Key, new string('9', length)));
                draft.Mutations.Add($"query {existing.Key} of {length:N0} chars");
                draft.Protocol |= length > 8_000; // past Kestrel's request line limit: Kestrel answers 414 itself
                break;
            case 6:
                string[] broken = ["%", "%z", "%zz", "%E4%B8", "%FF%FE", "%C0%AF", "%00", "%0d%0a", "%ED%A0%80", "%F4%90%80%80", "%25", "%u0041", "%%", "%2"];
                var escape = broken[random.Next(broken.Length)];
                draft.Query.Remove(existing);
                draft.Query.Add(new(existing.Key, existing.Value + escape));
                draft.Mutations.Add($"query {existing.Key} with {escape}");
                break;
            case 7:
                string[] odd = ["=x", "&&&", "a", "a=", "==", "&=&", "?", "a=1=2", "+=+", ";a=1"];
                var part = odd[random.Next(odd.Length)];
                draft.Query.Add(new(part, null!));
                draft.Mutations.Add($"query part {part}");
                break;
            default:
                var list = random.Next(2) == 0 ? "metric" : "groupBy";
                var count = random.Next(100) < 80 ? 2 + random.Next(50) : 200 + random.Next(2_000);
                var item = list == "metric" ? world.Metrics[random.Next(world.Metrics.Count)] : FuzzWorld.Dimensions[random.Next(FuzzWorld.Dimensions.Length)];
                if (random.Next(2) == 0)
                {
                    for (var i = 0; i < Math.Min(count, 300); i++)
                    {
                        draft.Query.Add(new(list, item));
                    }
                }
                else
                {
                    draft.Query.Add(new(list, string.Join(",", Enumerable.Repeat(item, count))));
                }
                draft.Mutations.Add($"{list} repeated {count} times");
                draft.Protocol |= draft.Query.Sum(q => q.Key.Length + (q.Value?.Length ?? 0) + 2) > 8_000;
                break;
        }
    }

    /// <summary>A string percent-encoded only where a request target cannot hold it raw (so quotes, &lt;, | go raw).</summary>
    private static string Unreserved(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            builder.Append(b is > 0x20 and < 0x7F and not (byte)'#' and not (byte)'&' and not (byte)'%' ? ((char)b).ToString() : $"%{b:X2}");
        }
        return builder.ToString();
    }

    private void MutatePath(Draft draft, Random random)
    {
        draft.SameOperation = false;
        var parameters = draft.Template?.TrimStart('/').Split('/').Select((s, i) => (s, i)).Where(p => p.s.StartsWith('{')).Select(p => p.i).ToArray() ?? [];
        var at = parameters.Length > 0 && random.Next(4) > 0 ? parameters[random.Next(parameters.Length)] : random.Next(draft.Segments.Count);
        at = Math.Min(at, draft.Segments.Count - 1); // an earlier mutation may have dropped segments
        switch (random.Next(8))
        {
            case 0 or 1 or 2:
                var injection = Injections[random.Next(Injections.Length)];
                draft.Segments[at] = random.Next(3) == 0 ? Unreserved(injection) : Uri.EscapeDataString(injection);
                draft.Mutations.Add($"path segment {at} {Show(injection)}");
                break;
            case 3:
                string[] traversals = ["..", "%2e%2e", "..%2f..", "%2e%2e%2f", ".", "..;", "%252e%252e", "..%5c"];
                var traversal = traversals[random.Next(traversals.Length)];
                draft.Segments.Insert(at, traversal);
                draft.Mutations.Add($"path {traversal}");
                break;
            case 4:
                var length = random.Next(100) < 80 ? 100 + random.Next(2_000) : 9_000 + random.Next(20_000);
                draft.Segments[at] = new string('a', length);
                draft.Mutations.Add($"path segment {at} of {length:N0} chars");
                draft.Protocol |= length > 8_000;
                break;
            case 5:
                string[] years = ["0", "-1", "99999999999", "2147483648", "2019.0", "%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%91", "1e3", "+2021", "02021", "2021%00", "%FF", "%C0%AF", "%2F"];
                var year = years[random.Next(years.Length)];
                draft.Segments[at] = year;
                draft.Mutations.Add($"path segment {at} {year}");
                break;
            case 6:
                string[] shapes = ["double slash", "trailing slash", "upper case", "extra segment", "drop last"];
                var shape = shapes[random.Next(shapes.Length)];
                switch (shape)
                {
                    case "double slash":
                        draft.Segments.Insert(at, "");
                        break;
                    case "trailing slash":
                        draft.Segments.Add("");
                        break;
                    case "upper case":
                        draft.Segments = [.. draft.Segments.Select(s => s.ToUpperInvariant())];
                        break;
                    case "extra segment":
                        draft.Segments.Add("extra");
                        break;
                    default:
                        draft.Segments.RemoveAt(draft.Segments.Count - 1);
                        if (draft.Segments.Count == 0)
                        {
                            draft.Segments.Add("");
                        }
                        break;
                }
                draft.Mutations.Add($"path {shape}");
                break;
            default:
                string[] ids = ["not-a-guid", "00000000-0000-0000-0000-000000000000", "{" + RandomGuid(random) + "}", RandomGuid(random).ToString("N"), "config", "%7B%7D"];
                var id = ids[random.Next(ids.Length)];
                draft.Segments[at] = id;
                draft.Mutations.Add($"path segment {at} {id}");
                break;
        }
    }

    private void MutateHeaders(Draft draft, Random random)
    {
        void Replace(string name, string? value)
        {
            draft.Headers.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
            if (value is not null)
            {
                draft.Headers.Add(new(name, value));
            }
        }
        switch (random.Next(11))
        {
            case 0 or 1 or 2:
                var contentType = ContentTypes[random.Next(ContentTypes.Length)];
                Replace("Content-Type", contentType.Length == 0 ? null : contentType);
                draft.Mutations.Add($"content type '{contentType}'");
                break;
            case 3 or 4:
                var (kind, key) = random.Next(9) switch
                {
                    0 => ("none", null),
                    1 => ("made-up key", MadeUpKey(random)),
                    2 => ("long key", "agg_" + new string('a', 1_000 + random.Next(9_000))),
                    3 => ("spare key", world.SpareKeys[random.Next(world.SpareKeys.Count)].Key),
                    4 => ("admin key with a space", world.AdminKey + " "),
                    5 => ("key of the wrong shape", "agg_zz_" + RandomGuid(random)),
                    6 => ("truncated admin key", world.AdminKey[..^1]),
                    7 => ("region key", world.RegionKey),
                    _ => ("injection as key", Injections[random.Next(Injections.Length)].Replace("\r", "").Replace("\n", "").Replace("\0", "")),
                };
                Replace("X-Api-Key", key);
                draft.Mutations.Add($"auth: {kind}");
                break;
            case 5:
                draft.Headers.Add(new("X-Api-Key", world.AdminKey));
                draft.Headers.Add(new("X-Api-Key", MadeUpKey(random)));
                draft.Mutations.Add("two X-Api-Key headers");
                break;
            case 6:
                string[] matches = ["*", "\"abc\"", "W/\"x\"", "garbage", "\"\"", new string('"', 3), "\"" + new string('f', 5000) + "\"", "*, \"a\""];
                var match = matches[random.Next(matches.Length)];
                Replace(draft.Method == "GET" ? "If-None-Match" : "If-Match", match);
                draft.Mutations.Add($"{(draft.Method == "GET" ? "If-None-Match" : "If-Match")} {Show(match)}");
                break;
            case 7:
                string[] accepts = ["text/csv", "application/xml", "*/*", "", "garbage", "application/json;q=0", "text/html", "application/problem+json"];
                var accept = accepts[random.Next(accepts.Length)];
                Replace("Accept", accept);
                draft.Mutations.Add($"accept '{accept}'");
                break;
            case 8:
                string[] names = ["Expect", "Content-Encoding", "Range", "X-Forwarded-For", "Accept-Charset", "Accept-Encoding", "Cookie", "Origin", "X-HTTP-Method-Override", "Authorization"];
                string[] values = ["100-continue", "gzip", "bytes=0-10", "1.2.3.4, ::1", "utf-7", "br, gzip", "a=b", "null", "DELETE", "Bearer x"];
                var header = random.Next(names.Length);
                Replace(names[header], values[header]);
                draft.Mutations.Add($"header {names[header]}: {values[header]}");
                break;
            case 9:
                for (var i = 0; i < 80; i++) // Kestrel takes 100 headers at most, and answers 431 itself past that
                {
                    draft.Headers.Add(new($"X-Junk-{i}", new string('j', 50)));
                }
                draft.Mutations.Add("80 extra headers");
                break;
            default:
                draft.Chunked = true;
                draft.Mutations.Add("chunked body");
                break;
        }
    }

    /// <summary>A request malformed at the HTTP level, written byte by byte.</summary>
    private void MutateProtocol(Draft draft, Random random)
    {
        draft.Protocol = true;
        byte[] Head(string requestLine, IEnumerable<string> lines, int? length, string? hostLine = null) =>
        [
            .. Encoding.UTF8.GetBytes(requestLine + "\r\n" + (hostLine ?? $"Host: 127.0.0.1:{world.Port}\r\n")),
            .. Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\r\n")) + (length is { } n ? $"Content-Length: {n}\r\n" : "") + "\r\n"),
        ];
        var kind = random.Next(16);
        switch (kind)
        {
            case 0:
                byte[][] raw = [[0xFF], [0xC3, 0x28], [0xE4, 0xB8, 0xAD, 0xE6, 0x96, 0x87], [0x80], [0xED, 0xA0, 0x80], [0x7F], [0x01]];
                var bytes = raw[random.Next(raw.Length)];
                draft.RawHead = (method, target, lines, length) => [.. Encoding.ASCII.GetBytes($"{method} {target}"), .. bytes, .. Head(" HTTP/1.1", lines, length)];
                draft.Mutations.Add($"raw bytes {Convert.ToHexString(bytes)} in the target");
                break;
            case 1:
                draft.RawHead = (method, target, lines, length) => Head($"{method} {target} HTTP/1.1", [.. lines, "X-Api-Key: abc\r\nX-Injected: evil"], length);
                draft.Mutations.Add("CRLF inside a header value");
                break;
            case 2:
                draft.RawHead = (method, target, lines, length) => Head($"{method} {target} HTTP/1.1", [.. lines, "X-Bad: a\rb"], length);
                draft.Mutations.Add("bare CR in a header value");
                break;
            case 3:
                draft.RawHead = (method, target, lines, length) => Encoding.UTF8.GetBytes($"{method} {target} HTTP/1.1\nHost: 127.0.0.1:{world.Port}\n{string.Concat(lines.Select(l => l + "\n"))}Content-Length: {length}\n\n");
                draft.Mutations.Add("bare LF line ends");
                break;
            case 4:
                string[] bad = ["NoColon", "X Space: 1", "X-Nul: a\0b", ": empty-name", "X-Fold: a\r\n folded", "X-Tab\t: 1", "X-Utf8: 中文", "X-Latin1: \u00e9"];
                var line = bad[random.Next(bad.Length)];
                draft.RawHead = (method, target, lines, length) => Head($"{method} {target} HTTP/1.1", [.. lines, line], length);
                draft.Mutations.Add($"header line {Show(line)}");
                break;
            case 5:
                string[] versions = ["HTTP/1.0", "HTTP/2.0", "HTTP/1.2", "HTTP/9.9", "HTTP/1.1 extra", "http/1.1", "HTTP/1", ""];
                var version = versions[random.Next(versions.Length)];
                draft.RawHead = (method, target, lines, length) => Head($"{method} {target} {version}".TrimEnd(), lines, length);
                draft.Mutations.Add($"version '{version}'");
                break;
            case 6:
                draft.RawHead = (method, target, lines, length) => Head($"{method} {target} HTTP/1.1", lines, length, hostLine: "");
                draft.Mutations.Add("no Host");
                break;
            case 7:
                draft.RawHead = (method, target, lines, length) => Head($"{method} {target} HTTP/1.1", lines, length, hostLine: $"Host: 127.0.0.1:{world.Port}\r\nHost: evil.example\r\n");
                draft.Mutations.Add("two Host headers");
                break;
            case 8:
                string[] lengths = ["-1", "abc", "99999999999999999999", "1, 2", " 0x10", "+5"];
                var bogus = lengths[random.Next(lengths.Length)];
                draft.RawHead = (method, target, lines, length) => Head($"{method} {target} HTTP/1.1", [.. lines, $"Content-Length: {bogus}"], null);
                draft.Mutations.Add($"Content-Length {bogus}");
                break;
            case 9:
                draft.RawHead = (method, target, lines, length) => Head($"{method} {target} HTTP/1.1", [.. lines, $"Content-Length: {length + 1}"], length);
                draft.Mutations.Add("two different Content-Length headers");
                break;
            case 10:
                draft.RawHead = (method, target, lines, length) => Head($"{method} {target} HTTP/1.1", [.. lines, "Transfer-Encoding: chunked"], length);
                draft.Mutations.Add("Content-Length and Transfer-Encoding");
                break;
            case 11:
                draft.RawHead = (method, target, lines, length) => Head($"{method} {target} HTTP/1.1", [.. lines, "Transfer-Encoding: chunked"], null);
                draft.FixedBody = [.. "zz\r\nabc\r\n0\r\n\r\n"u8.ToArray()];
                draft.Mutations.Add("invalid chunk size");
                break;
            case 12:
                var size = 33_000 + random.Next(40_000);
                draft.RawHead = (method, target, lines, length) => Head($"{method} {target} HTTP/1.1", [.. lines, "X-Huge: " + new string('h', size)], length);
                draft.Mutations.Add($"header of {size:N0} bytes");
                break;
            case 13:
                var longMethod = new string('M', 100 + random.Next(20_000));
                draft.RawHead = (method, target, lines, length) => Head($"{longMethod} {target} HTTP/1.1", lines, length);
                draft.Mutations.Add($"method of {longMethod.Length:N0} chars");
                break;
            case 14:
                string[] targets = ["*", "http://evil.example/api/v1/metrics", "api/v1/metrics", "//api/v1/metrics", "/api/v1/metrics#frag", "127.0.0.1:80", "/api/v1/metrics?a=b#c"];
                var odd = targets[random.Next(targets.Length)];
                draft.RawHead = (method, target, lines, length) => Head($"{method} {odd} HTTP/1.1", lines, length);
                draft.Mutations.Add($"target '{odd}'");
                break;
            default:
                draft.RawHead = (method, target, lines, length) => [.. Head($"{method} {target} HTTP/1.1", lines, length), .. "\r\n\r\nGARBAGE / HTTP/1.1\r\n\r\n"u8.ToArray()];
                draft.Mutations.Add("garbage after the request");
                break;
        }
    }

    /// <summary>Kestrel's default limits: request line 8 KiB, 100 headers, 32 KiB of headers.</summary>
    public const int KestrelRequestLine = 8 * 1024, KestrelHeaderCount = 100, KestrelHeadersBytes = 32 * 1024;

    /// <summary>Times are made from fixed points, not the clock, so a seed makes the same requests on any day.</summary>
    private static readonly DateTimeOffset AuditDays = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A time in the future (an expiry), whenever the run is.</summary>
    private static string Future(Random random) =>
        new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(-random.Next(20_000)).AddSeconds(random.Next(86_400)).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>JSON as a client writes it: UTF-8 text unescaped.</summary>
    private static readonly JsonSerializerOptions JsonText = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static Guid RandomGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private static string Show(string text)
    {
        var builder = new StringBuilder("'");
        foreach (var c in text.Length > 40 ? text[..40] + "…" : text)
        {
            builder.Append(c < 0x20 || c == 0x7f ? $"\\x{(int)c:x2}" : c.ToString());
        }
        return builder.Append('\'').ToString();
    }
}
