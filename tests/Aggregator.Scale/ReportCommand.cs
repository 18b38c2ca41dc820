using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Aggregator.Scale;

/// <summary>
/// The combined table of every size in DIR/figures.csv (the latest run of each size; each column comes from one run)
/// and the chart of rollup latency against data size, drawn by gnuplot from the same file.
/// </summary>
public static class ReportCommand
{
    // The rows of the combined table: figure key, clients, and which number of it.
    private static readonly (string Key, int? Clients, string Stat, string Label)[] Rows =
    [
        ("health", 1, "p50", "empty endpoint, 1 client, p50 ms"),
        ("health", 16, "rate", "empty endpoint, 16 clients, req/s"),
        ("a.changed", 1, "p50", "(a) national by prefecture × year, after a change, p50 ms"),
        ("a.changed", 1, "p99", "(a) after a change, p99 ms"),
        ("a.repeat", 1, "p50", "(a) repeated, unchanged data, p50 ms"),
        ("a.repeat", 16, "rate", "(a) repeated, 16 clients, rollups/s"),
        ("a.revalidate", 1, "p50", "(a) If-None-Match → 304, p50 ms"),
        ("a.fresh", null, "value", "(a) correction visible after, ms"),
        ("sql.a", 1, "p50", "(a) plain SQL, p50 ms"),
        ("b.changed", 1, "p50", "(b) one prefecture by agency × year, after a change, p50 ms"),
        ("b.repeat", 16, "rate", "(b) repeated, 16 clients, rollups/s"),
        ("sql.b", 1, "p50", "(b) plain SQL, p50 ms"),
        ("c.changed", 1, "p50", "(c) part 三 of one province by year, after a change, p50 ms"),
        ("c.repeat", 16, "rate", "(c) repeated, 16 clients, rollups/s"),
        ("sql.c", 1, "p50", "(c) plain SQL, p50 ms"),
        ("ratio.sql_a_over_api", null, "value", "SQL (a) ÷ API (a), ×"),
        ("ratio.a_repeat_over_empty", null, "value", "(a) repeated ÷ empty endpoint, ×"),
        ("ingest.put", 16, "rate", "PUT ingestion, 16 clients, reports/s"),
        ("ingest.put", 64, "rate", "PUT ingestion, 64 clients, reports/s"),
        ("ingest.sql", 16, "rate", "raw SQL ingestion, 16 connections, reports/s"),
        ("ingest.sql", 64, "rate", "raw SQL ingestion, 64 connections, reports/s"),
        ("ratio.put64_over_sql64", null, "value", "PUT ÷ raw SQL at 64, ×"),
        ("ingest.bulk", null, "value", "bulk path, reports/s"),
        ("load.rate", null, "value", "load to this size, reports/s"),
        ("api.peak_rss_rollups", null, "value", "API peak RSS under the rollup load, MB"),
        ("api.peak_rss", null, "value", "API peak RSS with ingestion, MB"),
        ("db.size", null, "value", "database size, MB"),
    ];

    private static readonly (string Key, string Title)[] ChartSeries =
    [
        ("a.changed", "(a) API, after a change"), ("b.changed", "(b) API, after a change"), ("c.changed", "(c) API, after a change"),
        ("sql.a", "(a) plain SQL"), ("sql.b", "(b) plain SQL"), ("sql.c", "(c) plain SQL"), ("health", "empty endpoint"),
    ];

    public static int Run(Options options)
    {
        var outDirectory = options.Text("out");
        var csv = Path.Combine(outDirectory, "figures.csv");
        if (!File.Exists(csv))
        {
            throw new UsageException($"No {csv}: run measure first.");
        }
        var lines = File.ReadLines(csv).Skip(1).Where(l => l.Length > 0).Select(Split).ToArray();
        // The latest run of each size only (measured_at is the last field), so each column is one run.
        var latestRun = lines.GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.Max(f => f[^1])!);
        var figures = lines.Where(f => latestRun[f[0]] == f[^1]).ToArray();
        var sizes = figures.Select(f => long.Parse(f[0], CultureInfo.InvariantCulture)).Distinct().Order().ToArray();

        string? Cell(long size, string key, int? clients, string stat)
        {
            var row = figures.FirstOrDefault(f => f[0] == size.ToString(CultureInfo.InvariantCulture) && f[1] == key
                                                  && (clients is null || f[3] == clients.Value.ToString(CultureInfo.InvariantCulture)));
            var text = row?[stat switch { "p50" => 5, "p99" => 6, "rate" => 7, _ => 9 }];
            return string.IsNullOrEmpty(text) ? null : text;
        }

        var table = new StringBuilder();
        table.AppendLine($"| figure | {string.Join(" | ", sizes.Select(s => $"{s:N0} reports"))} |");
        table.AppendLine($"|---|{string.Concat(sizes.Select(_ => "---:|"))}");
        foreach (var (key, clients, stat, label) in Rows)
        {
            var cells = sizes.Select(s => Cell(s, key, clients, stat)).ToArray();
            if (cells.All(c => c is null))
            {
                continue;
            }
            table.AppendLine($"| {label} | {string.Join(" | ", cells.Select(Show))} |");
        }
        var summary = Path.Combine(outDirectory, "summary.md");
        File.WriteAllText(summary, table.ToString());
        Console.WriteLine(table);
        Console.WriteLine($"report: table {summary}");

        var data = new StringBuilder("# reports " + string.Join(' ', ChartSeries.Select(s => s.Key)) + "\n");
        foreach (var size in sizes)
        {
            data.AppendLine(size.ToString(CultureInfo.InvariantCulture) + " " +
                            string.Join(' ', ChartSeries.Select(s => Cell(size, s.Key, 1, "p50") ?? "NaN")));
        }
        File.WriteAllText(Path.Combine(outDirectory, "latency.dat"), data.ToString());
        var plots = ChartSeries.Select((s, i) =>
            $"'latency.dat' using 1:{i + 2} with linespoints lw 2 pt {i + 4} {(s.Key.StartsWith("sql.", StringComparison.Ordinal) ? "dt 2 " : "")}title '{s.Title}'");
        File.WriteAllText(Path.Combine(outDirectory, "latency.gp"), $"""
            set terminal pngcairo size 900,560 font ',10'
            set output 'latency.png'
            set title 'Rollup latency p50 (1 client) against data size'
            set logscale xy
            set xlabel 'reports'
            set ylabel 'p50 ms'
            set format x '%.0s%c'
            set grid
            set key outside right
            set datafile missing 'NaN'
            plot {string.Join(", \\\n     ", plots)}

            """);
        if (!OnPath("gnuplot"))
        {
            Console.WriteLine("report: gnuplot not found (Debian package gnuplot-nox), chart not drawn; latency.gp and latency.dat are written");
            return 0;
        }
        using var gnuplot = Process.Start(new ProcessStartInfo("gnuplot", "latency.gp") { WorkingDirectory = outDirectory })!;
        if (!gnuplot.WaitForExit(60_000) || gnuplot.ExitCode != 0)
        {
            Console.WriteLine("report: gnuplot failed; latency.gp and latency.dat are written");
            return 1;
        }
        Console.WriteLine($"report: chart {Path.Combine(outDirectory, "latency.png")}");
        return 0;
    }

    private static string Show(string? raw) =>
        raw is null ? "–" : double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? RunFigures.Number(v < 100 ? Math.Round(v, 2) : v) : raw;

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));

    /// <summary>One CSV line (RFC 4180 quotes) into fields.</summary>
    private static string[] Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { field.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else { field.Append(c); }
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }
}
