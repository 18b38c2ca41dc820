using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Aggregator.Cli;

/// <summary>What `aggregator submit` was asked to do.</summary>
public sealed record SubmitOptions(IReadOnlyList<string> Files, Uri Api, string Key)
{
    public const string Usage = """
        Usage: aggregator submit <file.ndjson>... --api <url> [--key <key>]

        Back-fills reports: each file holds one {"agency": code, "year": 2021, "document": {…}} a line (NDJSON).
        The lines go to POST <url>/api/v1/reports/bulk, 10,000 to a request; each is judged as a PUT of that report
        would be. Prints progress, the refused lines with their reason, and a summary.
        Exits 0 when every line was accepted, 1 when any was refused, 2 on wrong usage.
        """;

    public static (SubmitOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var files = new List<string>();
        string? api = null, key = Environment.GetEnvironmentVariable("AGGREGATOR_API_KEY");
        for (var i = 0; i < args.Count; i++)
        {
            string? Value() => i + 1 < args.Count ? args[++i] : null;
            switch (args[i])
            {
                case "--api": api = Value(); break;
                case "--key": key = Value(); break;
                case var option when option.StartsWith("--", StringComparison.Ordinal): return (null, $"Unknown option {option}.");
                default: files.Add(args[i]); break;
            }
        }
        if (files.Count == 0)
        {
            return (null, "Name at least one NDJSON file.");
        }
        if (api is null || !Uri.TryCreate(api, UriKind.Absolute, out var apiUri))
        {
            return (null, "--api takes the API's base URL, e.g. --api http://127.0.0.1:5080.");
        }
        if (string.IsNullOrEmpty(key))
        {
            return (null, "submit needs --key (or AGGREGATOR_API_KEY).");
        }
        return (new SubmitOptions(files, apiUri, key), null);
    }
}

/// <summary>`aggregator submit`: NDJSON files through the bulk path, request by request.</summary>
public sealed class SubmitRun(SubmitOptions options, HttpClient client, TextWriter output)
{
    public const int LinesPerRequest = 10_000;

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var counts = new Dictionary<string, int>();
        var refused = 0;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        foreach (var file in options.Files)
        {
            using var reader = new StreamReader(file, Encoding.UTF8);
            var firstLine = 1;
            while (true)
            {
                var lines = new List<string>(LinesPerRequest);
                while (lines.Count < LinesPerRequest && await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    lines.Add(line);
                }
                if (lines.Count == 0)
                {
                    break;
                }
                var answers = await Post(lines, cancellationToken);
                foreach (var answer in answers)
                {
                    var status = answer.GetProperty("status").GetInt32();
                    var kind = answer.TryGetProperty("submission", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : status.ToString();
                    counts[kind] = counts.GetValueOrDefault(kind) + 1;
                    if (status >= 400)
                    {
                        refused++;
                        var detail = answer.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
                            ? string.Join("; ", errors.EnumerateObject().Select(e => $"{e.Name}: {string.Join(" ", e.Value.EnumerateArray().Select(m => m.GetString()))}"))
                            : answer.TryGetProperty("detail", out var d) ? d.GetString() : "";
                        await output.WriteLineAsync($"{file}:{firstLine - 1 + answer.GetProperty("line").GetInt32()}: {status} {detail}");
                    }
                }
                firstLine += lines.Count;
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
                var done = counts.Values.Sum();
                await output.WriteLineAsync($"{file}: {firstLine - 1} lines sent, {done} answered ({done / Math.Max(elapsed, 0.001):F0}/s)");
            }
        }
        await output.WriteLineAsync(
            $"{counts.Values.Sum()} line(s): {counts.GetValueOrDefault("created")} created, {counts.GetValueOrDefault("revised")} revised, " +
            $"{counts.GetValueOrDefault("unchanged")} unchanged, {refused} refused.");
        return refused == 0 ? 0 : 1;
    }

    private async Task<List<JsonElement>> Post(List<string> lines, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Api, "api/v1/reports/bulk"))
        {
            Content = new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson"),
        };
        request.Headers.Add("X-Api-Key", options.Key);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} {body}");
        }
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }
}
