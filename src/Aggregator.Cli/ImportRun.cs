using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Aggregator.Cli;

/// <summary>The outcome of one file.</summary>
public sealed record FileOutcome(string File, string Status, int? Revision, int Findings, int Blocking, string Reason)
{
    public bool Failed => Status is "failed";
}

/// <summary>Posts each published report to the API, shows progress, and prints a summary table.</summary>
public sealed partial class ImportRun(ImportOptions options, HttpClient client, TextWriter output)
{
    // Each file's media type by its extension (.doc is sent too: the API answers which format to send instead).
    private static readonly Dictionary<string, string> MediaTypes = new()
    {
        [".txt"] = "text/plain",
        [".html"] = "text/html",
        [".htm"] = "text/html",
        [".pdf"] = "application/pdf",
        [".docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [".doc"] = "application/msword",
    };

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var files = Files().ToArray();
        if (files.Length == 0)
        {
            await output.WriteLineAsync("No .txt, .html, .pdf or .docx files found.");
            return 1;
        }
        if ((options.Agency is not null || options.Year is not null) && files.Length > 1)
        {
            await output.WriteLineAsync("--agency and --year name the report of one file; for many files name them <agency-code>-<year>.txt.");
            return 2;
        }
        var outcomes = new List<FileOutcome>();
        for (var i = 0; i < files.Length; i++)
        {
            var outcome = await ImportAsync(files[i], cancellationToken);
            outcomes.Add(outcome);
            await output.WriteLineAsync($"[{i + 1}/{files.Length}] {outcome.File}: {outcome.Status}{(outcome.Reason.Length > 0 ? " — " + outcome.Reason : "")}");
        }
        await WriteSummary(outcomes);
        return outcomes.Any(o => o.Failed) ? 1 : 0;
    }

    private IEnumerable<string> Files() =>
        options.Paths.SelectMany(path => Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(IsReportFile).Order(StringComparer.Ordinal)
            : (IEnumerable<string>)[path]);

    private static bool IsReportFile(string file) => MediaTypes.ContainsKey(Path.GetExtension(file).ToLowerInvariant());

    private async Task<FileOutcome> ImportAsync(string file, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(file);
        if (!File.Exists(file))
        {
            return new FileOutcome(name, "failed", null, 0, 0, "no such file");
        }
        if (!IsReportFile(file))
        {
            return new FileOutcome(name, "failed", null, 0, 0, "not a .txt, .html, .pdf or .docx file");
        }
        var query = "";
        if (options.Submit)
        {
            var (agency, year) = Address(name);
            if (agency is null)
            {
                return new FileOutcome(name, "failed", null, 0, 0, "cannot tell the agency: name the file <agency-code>-<year>.txt or give --agency");
            }
            query = $"?submit=true&agency={Uri.EscapeDataString(agency)}" + (year is { } y ? $"&year={y}" : "");
        }
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file, cancellationToken));
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes[Path.GetExtension(file).ToLowerInvariant()]);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Api, "api/v1/imports" + query)) { Content = content };
        if (options.Key is not null)
        {
            request.Headers.Add("X-Api-Key", options.Key);
        }
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return new FileOutcome(name, "failed", null, 0, 0, $"cannot reach the API: {e.Message}");
        }
        using (response)
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken) is { Length: > 0 } text ? text : "{}");
            var root = body.RootElement;
            var blocking = CountBlocking(root);
            if (!response.IsSuccessStatusCode)
            {
                return new FileOutcome(name, "failed", null, 0, blocking, $"{(int)response.StatusCode} {ProblemText(root)}");
            }
            var findings = root.GetProperty("findings").GetArrayLength();
            int? revision = root.TryGetProperty("revision", out var r) && r.ValueKind == JsonValueKind.Object ? r.GetProperty("revision").GetInt32() : null;
            var status = blocking > 0 ? "needs review" : findings > 0 ? "with findings" : "imported";
            var reason = blocking > 0 ? $"{blocking} cell(s) left blank for want of certainty" : "";
            var submission = root.TryGetProperty("submission", out var outcome) && outcome.ValueKind == JsonValueKind.String ? outcome.GetString() : null;
            reason = submission switch
            {
                "unchanged" => "unchanged: same as the current revision",
                "revised" => $"corrected: new revision {revision}",
                _ => reason,
            };
            return new FileOutcome(name, status, revision, findings, blocking, reason);
        }
    }

    private (string? Agency, int? Year) Address(string fileName)
    {
        if (options.Agency is not null)
        {
            return (options.Agency, options.Year);
        }
        var match = AgencyYearFileName().Match(Path.GetFileNameWithoutExtension(fileName));
        return match.Success ? (match.Groups["agency"].Value, int.Parse(match.Groups["year"].Value)) : (null, null);
    }

    private static int CountBlocking(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("diagnostics", out var diagnostics) && diagnostics.ValueKind == JsonValueKind.Array
            ? diagnostics.EnumerateArray().Count(d => d.GetProperty("severity").GetString() == "blocking")
            : 0;

    private static string ProblemText(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "";
        }
        var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : root.TryGetProperty("title", out var t) ? t.GetString() : "";
        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            detail += " " + string.Join("; ", errors.EnumerateObject().Select(e => $"{e.Name}: {string.Join(" ", e.Value.EnumerateArray().Select(v => v.GetString()))}"));
        }
        return detail?.Trim() ?? "";
    }

    private async Task WriteSummary(IReadOnlyList<FileOutcome> outcomes)
    {
        var width = Math.Max(4, outcomes.Max(o => o.File.Length));
        await output.WriteLineAsync();
        await output.WriteLineAsync($"{"file".PadRight(width)}  {"status",-13}  {"revision",8}  {"findings",8}  reason");
        foreach (var o in outcomes)
        {
            await output.WriteLineAsync($"{o.File.PadRight(width)}  {o.Status,-13}  {o.Revision?.ToString() ?? "-",8}  {o.Findings,8}  {o.Reason}");
        }
        await output.WriteLineAsync(
            $"{outcomes.Count} file(s): {outcomes.Count(o => o.Status == "imported")} imported, {outcomes.Count(o => o.Status == "with findings")} with findings, " +
            $"{outcomes.Count(o => o.Status == "needs review")} need review, {outcomes.Count(o => o.Failed)} failed.");
    }

    // wusu-transport-2020 → agency wusu-transport, year 2020
    [GeneratedRegex(@"^(?<agency>[A-Za-z0-9_-]{2,64})-(?<year>(19|20)\d\d)$")]
    private static partial Regex AgencyYearFileName();
}
