using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Aggregator.Domain;

namespace Aggregator.Scale;

/// <summary>
/// The soak of issue 10: N clients for a long time, each request a rollup (80%) or a correction (20%), on the data as
/// loaded. Rollups vary metric, grouping, region and years, and some revalidate with the tag they were last given, so
/// the answer cache fills, evicts and is invalidated by the corrections as in service. Each window prints the
/// requests, p50/p99 of both kinds, errors and the API's RSS; the end prints the RSS trend. Exit 1 on any error.
/// </summary>
public static class SoakCommand
{
    private const int PoolSize = 4096;
    private const double RollupShare = 0.8;

    private static readonly string[] NationalMetrics =
    [
        "proactive.penalty.decisions", "proactive.licensing.decisions", "applications.newlyReceived",
        "applications.notProcessed.petitionComplaint", "appeals.review.total", "appeals.litigationDirect.total",
    ];

    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var dataSet = DataSetOptions.From(options);
        var minutes = double.Parse(options.TextOrNull("minutes") ?? "10", CultureInfo.InvariantCulture);
        var window = TimeSpan.FromSeconds(options.Number("window", 60));
        var clients = (int)options.Number("clients", 8);
        var apiPid = options.TextOrNull("api-pid");
        var outDirectory = options.TextOrNull("out");
        using var api = new Api(options.Text("api"), options.Text("key"));

        var reports = await api.CountReportsAsync(ct);
        if (reports == 0)
        {
            throw new UsageException("No reports in the API: load the data set first (load --reports N).");
        }
        var poolSize = (int)Math.Min(PoolSize, reports);
        var pool = Enumerable.Range(0, poolSize).Select(k => dataSet.ReportAt(k * reports / poolSize)).ToArray();
        var prefectures = pool.Select(r => r.Agency.Division.Prefecture[..4]).Distinct().Order(StringComparer.Ordinal).ToArray();
        var provinces = pool.Select(r => r.Agency.Division.Province[..2]).Distinct().Order(StringComparer.Ordinal).ToArray();
        var partThree = string.Join(',', BaselineSql.PartThreeMetrics.Select(m => m.Code));
        var runTag = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var tags = new System.Collections.Concurrent.ConcurrentDictionary<string, EntityTagHeaderValue>(StringComparer.Ordinal);

        string RollupUrl(Random random)
        {
            var from = random.Next(ReportYears.First, dataSet.LastYear + 1);
            var to = random.Next(from, dataSet.LastYear + 1);
            var years = random.Next(3) == 0 ? "" : $"&yearFrom={from}&yearTo={to}";
            return random.Next(3) switch
            {
                0 => $"api/v1/rollups?metric={NationalMetrics[random.Next(NationalMetrics.Length)]}&groupBy=prefecture,year{years}",
                1 => $"api/v1/rollups?metric=applications.notProcessed.petitionComplaint&groupBy=agency,year&division={prefectures[random.Next(prefectures.Length)]}{years}",
                _ => $"api/v1/rollups?metric={partThree}&groupBy=year&division={provinces[random.Next(provinces.Length)]}{years}",
            };
        }

        // Each client corrects its own share of the pool, so no two clients write one report at once.
        var visits = new long[clients];
        (BenchReport Report, byte[] Body) Correction(int client)
        {
            var visit = visits[client]++;
            var report = pool[(int)((client + visit * clients) % pool.Length)];
            var document = dataSet.DocumentOf(report);
            var step = visit % 7 + 1;
            document.Overview += $" [soak {runTag}-{client}-{visit}]";
            document.Set("appeals.review.pending", null, (document.Get("appeals.review.pending") ?? 0) + step);
            document.Set("appeals.review.total", null, (document.Get("appeals.review.total") ?? 0) + step);
            return (report, ReportDocumentJson.Serialize(document));
        }

        var windows = new List<SoakWindow>();
        var current = new SoakWindow(1);
        var errorsShown = 0;
        void Failed(string what)
        {
            lock (windows)
            {
                current.Errors++;
                if (++errorsShown <= 10)
                {
                    Console.WriteLine($"  error: {Api.Shorten(what)}");
                }
            }
        }

        async Task Client(int client, Stopwatch clock, TimeSpan length)
        {
            var random = new Random(HashCode.Combine(dataSet.Seed, client));
            while (clock.Elapsed < length && !ct.IsCancellationRequested)
            {
                var isRollup = random.NextDouble() < RollupShare;
                var start = Stopwatch.GetTimestamp();
                try
                {
                    if (isRollup)
                    {
                        var url = RollupUrl(random);
                        using var request = new HttpRequestMessage(HttpMethod.Get, url);
                        if (random.Next(4) == 0 && tags.TryGetValue(url, out var tag))
                        {
                            request.Headers.IfNoneMatch.Add(tag);
                        }
                        using var response = await api.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                        if (response.StatusCode is HttpStatusCode.OK && response.Headers.ETag is { } given)
                        {
                            tags[url] = given;
                        }
                        else if (response.StatusCode is not HttpStatusCode.NotModified)
                        {
                            Failed($"GET {url}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                            continue;
                        }
                    }
                    else
                    {
                        var (report, body) = Correction(client);
                        var (status, problem) = await api.PutReportAsync(report.Agency.Code, report.Year, body, ct);
                        if (status is not (HttpStatusCode.OK or HttpStatusCode.Created))
                        {
                            Failed($"PUT {report.Agency.Code} {report.Year}: HTTP {(int)status} {problem}");
                            continue;
                        }
                    }
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    Failed($"{(isRollup ? "GET" : "PUT")}: {e.GetType().Name} {e.Message}");
                    continue;
                }
                var ms = LatencyLoop.Milliseconds(start);
                lock (windows)
                {
                    (isRollup ? current.Rollups : current.Submissions).Add(ms);
                }
            }
        }

        var total = TimeSpan.FromMinutes(minutes);
        Console.WriteLine($"soak: {reports:N0} reports, {clients} clients, {RollupShare:P0} rollups / {1 - RollupShare:P0} corrections, " +
                          $"{total.TotalMinutes:0.##} min in windows of {window.TotalSeconds:F0} s");
        Console.WriteLine(SoakWindow.Header);
        var soakClock = Stopwatch.StartNew();
        var load = Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => Client(c, soakClock, total), ct)));
        var windowStart = soakClock.Elapsed;
        while (!load.IsCompleted)
        {
            var due = windowStart + window - soakClock.Elapsed;
            await Task.WhenAny(load, Task.Delay(due > TimeSpan.Zero ? due : TimeSpan.Zero, ct));
            if (soakClock.Elapsed - windowStart < window && !load.IsCompleted)
            {
                continue;
            }
            SoakWindow finished;
            lock (windows)
            {
                finished = current;
                current = new SoakWindow(finished.Number + 1);
            }
            finished.Seconds = (soakClock.Elapsed - windowStart).TotalSeconds;
            finished.RssMb = apiPid is null ? null : ProcessStatus.Kb(apiPid, "VmRSS") / 1024;
            windowStart = soakClock.Elapsed;
            if (finished.Rollups.Count + finished.Submissions.Count + finished.Errors == 0)
            {
                continue;
            }
            windows.Add(finished);
            Console.WriteLine(finished.Row());
        }
        await load;

        var summary = Summary(windows, reports, clients, apiPid is null ? null : ProcessStatus.Kb(apiPid, "VmHWM") / 1024);
        Console.WriteLine();
        Console.WriteLine(summary);
        if (outDirectory is not null)
        {
            Directory.CreateDirectory(outDirectory);
            var table = new StringBuilder().AppendLine(SoakWindow.Header).AppendLine(SoakWindow.Rule);
            foreach (var w in windows)
            {
                table.AppendLine(w.Row());
            }
            await File.WriteAllTextAsync(Path.Combine(outDirectory, "soak.md"),
                $"# Soak, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC\n\n{table}\n{summary}\n", ct);
        }
        return windows.Sum(w => w.Errors) == 0 ? 0 : 1;
    }

    /// <summary>
    /// Totals, and the RSS trend as the least-squares slope over the windows after the first (the first holds the
    /// warm-up: JIT, caches filling), in MB per window.
    /// </summary>
    private static string Summary(List<SoakWindow> windows, long reports, int clients, double? peakMb)
    {
        var rollups = windows.SelectMany(w => w.Rollups).Order().ToList();
        var submissions = windows.SelectMany(w => w.Submissions).Order().ToList();
        var errors = windows.Sum(w => w.Errors);
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"soak: {reports:N0} reports, {clients} clients, {windows.Sum(w => w.Seconds) / 60:0.#} min: ")
            .Append(CultureInfo.InvariantCulture, $"{rollups.Count:N0} rollups (p50 {P(rollups, 0.5)} ms, p99 {P(rollups, 0.99)} ms), ")
            .Append(CultureInfo.InvariantCulture, $"{submissions.Count:N0} corrections (p50 {P(submissions, 0.5)} ms, p99 {P(submissions, 0.99)} ms), ")
            .Append(CultureInfo.InvariantCulture, $"{errors} errors");
        var rss = windows.Skip(1).Where(w => w.RssMb is not null).Select((w, i) => (X: (double)i, Y: w.RssMb!.Value)).ToList();
        if (rss.Count >= 2)
        {
            var meanX = rss.Average(p => p.X);
            var meanY = rss.Average(p => p.Y);
            var slope = rss.Sum(p => (p.X - meanX) * (p.Y - meanY)) / rss.Sum(p => (p.X - meanX) * (p.X - meanX));
            text.Append(CultureInfo.InvariantCulture,
                $"; RSS {rss[0].Y:F0} → {rss[^1].Y:F0} MB after the first window (min {rss.Min(p => p.Y):F0}, max {rss.Max(p => p.Y):F0}), trend {slope:+0.0;-0.0} MB per window");
        }
        if (peakMb is { } peak)
        {
            text.Append(CultureInfo.InvariantCulture, $", peak {peak:F0} MB");
        }
        return text.Append('.').ToString();
    }

    private static string P(List<double> sorted, double p) => sorted.Count == 0 ? "–" : RunFigures.Ms(LatencyLoop.Percentile(sorted, p));

    private sealed class SoakWindow(int number)
    {
        public const string Header = "| window | seconds | rollups | rollup p50 ms | rollup p99 ms | corrections | correction p50 ms | correction p99 ms | errors | API RSS MB |";
        public const string Rule = "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

        public int Number { get; } = number;
        public List<double> Rollups { get; } = [];
        public List<double> Submissions { get; } = [];
        public int Errors { get; set; }
        public double Seconds { get; set; }
        public double? RssMb { get; set; }

        public string Row()
        {
            Rollups.Sort();
            Submissions.Sort();
            return string.Create(CultureInfo.InvariantCulture,
                $"| {Number} | {Seconds:F0} | {Rollups.Count:N0} | {P(Rollups, 0.5)} | {P(Rollups, 0.99)} | {Submissions.Count:N0} | " +
                $"{P(Submissions, 0.5)} | {P(Submissions, 0.99)} | {Errors} | {(RssMb is { } r ? r.ToString("F0", CultureInfo.InvariantCulture) : "–")} |");
        }
    }
}
