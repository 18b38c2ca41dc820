using System.Globalization;
using System.Text;

namespace Aggregator.Scale;

/// <summary>
/// One measured figure: a latency loop (samples, p50, p99, rate) or a single value with its unit. <see cref="Key"/>
/// is stable across runs (the CSV and the combined table join on it); <see cref="What"/> says it in words.
/// </summary>
public sealed record Figure(string Key, string What, int? Clients = null, LatencyResult? Latency = null, double? Value = null, string? Unit = null)
{
    public static Figure Loop(string key, string what, int clients, LatencyResult latency) => new(key, what, clients, latency);

    public static Figure Single(string key, string what, double value, string unit) => new(key, what, Value: value, Unit: unit);
}

/// <summary>The figures of one run: its markdown table, and rows appended to the CSV of raw figures.</summary>
public sealed class RunFigures(long reports)
{
    public const string CsvHeader = "reports,key,what,clients,samples,p50_ms,p99_ms,per_second,errors,value,unit,measured_at";

    private readonly string measuredAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public long Reports => reports;

    public List<Figure> All { get; } = [];

    public List<string> Notes { get; } = [];

    public Figure Add(Figure figure)
    {
        All.Add(figure);
        Console.WriteLine($"  {Describe(figure)}");
        return figure;
    }

    public Figure? Find(string key) => All.FirstOrDefault(f => f.Key == key);

    public static string Describe(Figure f) => f.Latency is { } l
        ? $"{f.Key} ({f.Clients} client{(f.Clients == 1 ? "" : "s")}): p50 {Ms(l.P50Ms)} ms, p99 {Ms(l.P99Ms)} ms, {Rate(l.PerSecond)}/s, n={l.Samples}{(l.Errors > 0 ? $", {l.Errors} errors" : "")}"
        : $"{f.Key}: {Number(f.Value)} {f.Unit}";

    public string Markdown(string title)
    {
        var text = new StringBuilder();
        text.AppendLine($"### {title}").AppendLine();
        text.AppendLine("| figure | clients | p50 ms | p99 ms | per s | n | value |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var f in All)
        {
            if (f.Latency is { } l)
            {
                text.AppendLine($"| {f.What} | {f.Clients} | {Ms(l.P50Ms)} | {Ms(l.P99Ms)} | {Rate(l.PerSecond)} | {l.Samples}{(l.Errors > 0 ? $" ({l.Errors} errors)" : "")} | |");
            }
            else
            {
                text.AppendLine($"| {f.What} | | | | | | {Number(f.Value)} {f.Unit} |");
            }
        }
        if (Notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in Notes)
            {
                text.AppendLine($"- {note}");
            }
        }
        return text.ToString();
    }

    public IEnumerable<string> CsvRows() => All.Select(f => string.Join(',',
        reports.ToString(CultureInfo.InvariantCulture), f.Key, Quote(f.What), f.Clients?.ToString(CultureInfo.InvariantCulture) ?? "",
        f.Latency?.Samples.ToString(CultureInfo.InvariantCulture) ?? "", Raw(f.Latency?.P50Ms), Raw(f.Latency?.P99Ms), Raw(f.Latency?.PerSecond),
        f.Latency?.Errors.ToString(CultureInfo.InvariantCulture) ?? "", Raw(f.Value), f.Unit ?? "", measuredAt));

    public static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms < 10 ? ms.ToString("F2", CultureInfo.InvariantCulture)
        : ms < 100 ? ms.ToString("F1", CultureInfo.InvariantCulture) : ms.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rate(double perSecond) => perSecond < 10 ? perSecond.ToString("F1", CultureInfo.InvariantCulture)
        : perSecond.ToString("N0", CultureInfo.InvariantCulture);

    public static string Number(double? value) => value switch
    {
        null => "–",
        { } v when double.IsNaN(v) => "–",
        { } v when Math.Abs(v) >= 100 => v.ToString("N0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Raw(double? value) => value is { } v && !double.IsNaN(v) ? v.ToString("0.###", CultureInfo.InvariantCulture) : "";

    public static string Quote(string field) => field.Contains(',') || field.Contains('"') ? $"\"{field.Replace("\"", "\"\"")}\"" : field;
}
