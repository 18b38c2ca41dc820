using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Aggregator.Domain;
using Npgsql;

namespace Aggregator.Scale;

/// <summary>
/// The figures of issue 9 on the data as loaded, all from one run on one database: rollups (a), (b), (c) over HTTP —
/// right after a change to a report they cover, repeated on unchanged data, revalidated — the same three as plain SQL,
/// the empty endpoint, ingestion by PUT, bulk and raw SQL, the API's peak RSS and the database size, with the ratios
/// between them.
/// </summary>
public static class MeasureCommand
{
    private const int IngestionPoolSize = 4096;

    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var dataSet = DataSetOptions.From(options);
        var duration = TimeSpan.FromSeconds(options.Number("duration", 10));
        var warmUp = TimeSpan.FromSeconds(Math.Clamp(duration.TotalSeconds / 5, 1, 3));
        var outDirectory = options.Text("out");
        Directory.CreateDirectory(outDirectory);
        using var api = new Api(options.Text("api"), options.Text("key"));
        var database = new NpgsqlConnectionStringBuilder(options.Text("db")) { MaxPoolSize = 100 };
        if (database.Host is not ("127.0.0.1" or "::1" or "localhost") && database.Host?.StartsWith('/') != true)
        {
            throw new UsageException($"--db must name a loopback host or a socket folder, not {database.Host}.");
        }
        await using var db = NpgsqlDataSource.Create(database.ConnectionString);

        var reports = await BaselineSql.CountReportsAsync(db, ct);
        var run = new RunFigures(reports);
        var year = Math.Min(2021, dataSet.LastYear);
        var (province, prefecture, changedAgency) = await BaselineSql.BusiestPrefectureAsync(db, year, ct);
        var province2 = province[..2];
        var prefecture4 = prefecture[..4];
        var partThree = string.Join(',', BaselineSql.PartThreeMetrics.Select(m => m.Code));
        var rollups = new (string Key, string What, string Url)[]
        {
            ("a", "(a) penalty decisions by prefecture × year, national", "api/v1/rollups?metric=proactive.penalty.decisions&groupBy=prefecture,year"),
            ("b", $"(b) petitionComplaint by agency × year, prefecture {prefecture4}", $"api/v1/rollups?metric=applications.notProcessed.petitionComplaint&groupBy=agency,year&division={prefecture4}"),
            ("c", $"(c) {BaselineSql.PartThreeMetrics.Count} part-三 metrics by year, province {province2}", $"api/v1/rollups?metric={partThree}&groupBy=year&division={province2}"),
        };
        var runTag = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        Console.WriteLine($"measure: {reports:N0} reports; prefecture {prefecture4}, province {province2}; the report changed before " +
                          $"each 'changed' request: {changedAgency} {year}; {duration.TotalSeconds:F0} s per loop after {warmUp.TotalSeconds:F0} s warm-up");
        run.Notes.Add($"{reports:N0} reports, data set seed {dataSet.Seed}; (b) prefecture {prefecture4}, (c) province {province2}, the ones with " +
                      $"the most reports; 'changed': {changedAgency}'s {year} report is corrected (PUT, untimed) before each timed request.");

        // The empty endpoint: the floor of any request through this host.
        var health = new Figure[2];
        for (var i = 0; i < 2; i++)
        {
            var clients = i == 0 ? 1 : 16;
            health[i] = run.Add(Figure.Loop("health", "empty endpoint GET /health/live", clients,
                await LatencyLoop.RunAsync(clients, duration, warmUp, (_, _, t) => TimedGet(api, "health/live", t), ct)));
        }

        // The rollups over HTTP, with the API's peak RSS counted from here (the load before them is not the rollup load).
        var apiPid = options.TextOrNull("api-pid");
        var rssReset = apiPid is not null && ProcessStatus.TryResetPeak(apiPid);
        var changed = await api.GetDocumentAsync(changedAgency, year, ct);
        var penalty = changed.Get("proactive.penalty.decisions") ?? 0;
        var complaints = changed.Get("applications.notProcessed.petitionComplaint", Applicant.Total) ?? 0;
        var complaintsByPersons = changed.Get("applications.notProcessed.petitionComplaint", Applicant.NaturalPerson) ?? 0;
        var overview = changed.Overview ?? "";
        async Task ChangeReport(long iteration, CancellationToken t)
        {
            var step = iteration % 1000 + 1;
            changed.Overview = $"{overview} [measure {runTag}-{iteration}]";
            changed.Set("proactive.penalty.decisions", null, penalty + step);
            changed.Set("applications.notProcessed.petitionComplaint", Applicant.NaturalPerson, complaintsByPersons + step);
            changed.Set("applications.notProcessed.petitionComplaint", Applicant.Total, complaints + step);
            var (status, problem) = await api.PutReportAsync(changedAgency, year, ReportDocumentJson.Serialize(changed), t);
            if (status is not (HttpStatusCode.OK or HttpStatusCode.Created))
            {
                throw new InvalidOperationException($"PUT {changedAgency} {year}: HTTP {(int)status} {problem}");
            }
        }
        foreach (var (key, what, url) in rollups)
        {
            Console.WriteLine($"measure: rollup {what}");
            run.Add(Figure.Loop($"{key}.changed", $"{what}, after a change", 1,
                await LatencyLoop.RunAsync(1, duration, warmUp, async (_, i, t) =>
                {
                    await ChangeReport(i, t);
                    return await TimedGet(api, url, t);
                }, ct)));
            foreach (var clients in new[] { 1, 16 })
            {
                run.Add(Figure.Loop($"{key}.repeat", $"{what}, repeated on unchanged data", clients,
                    await LatencyLoop.RunAsync(clients, duration, warmUp, (_, _, t) => TimedGet(api, url, t), ct)));
            }
            if (key == "a")
            {
                run.Add(Figure.Single("a.fresh", "(a) freshness: a correction to the first rollup that shows it (worst of 5)",
                    await Freshness(api, url, dataSet.ByCode[changedAgency].Division.Prefecture, year, ChangeReport, ct), "ms"));
                using var first = await api.Http.GetAsync(url, ct);
                var tag = first.Headers.ETag;
                run.Add(Figure.Loop("a.revalidate", $"{what}, If-None-Match → 304", 1,
                    await LatencyLoop.RunAsync(1, duration, warmUp, (_, _, t) => TimedGet(api, url, t, tag), ct)));
            }
        }

        if (apiPid is not null)
        {
            run.Add(Figure.Single("api.peak_rss_rollups", rssReset
                ? "API peak RSS under the rollup loads above (VmHWM, reset before them)"
                : "API peak RSS by the end of the rollup loads (VmHWM since the API started: clear_refs not writable)",
                ProcessStatus.Kb(apiPid, "VmHWM") / 1024, "MB"));
        }

        // The same rollups as the plain SQL a user would write.
        var sqlRollups = new (string Key, string What, Func<NpgsqlConnection, NpgsqlBatch> Batch)[]
        {
            ("sql.a", "(a) as plain SQL GROUP BY over report_cells", BaselineSql.PenaltiesByPrefectureAndYear),
            ("sql.b", "(b) as plain SQL GROUP BY over report_cells", c => BaselineSql.PetitionComplaintsByAgencyAndYear(c, prefecture4)),
            ("sql.c", "(c) as plain SQL GROUP BY over report_cells", c => BaselineSql.ApplicationsOfProvinceByYear(c, province2)),
        };
        foreach (var (key, what, batch) in sqlRollups)
        {
            Console.WriteLine($"measure: {what}");
            await using var connection = await db.OpenConnectionAsync(ct);
            run.Add(Figure.Loop(key, what, 1, await LatencyLoop.RunAsync(1, duration, TimeSpan.Zero, async (_, _, t) =>
            {
                var start = Stopwatch.GetTimestamp();
                await using var command = batch(connection);
                await using var reader = await command.ExecuteReaderAsync(t);
                while (await reader.ReadAsync(t))
                {
                }
                return LatencyLoop.Milliseconds(start);
            }, ct)));
        }

        await MeasureIngestion(run, dataSet, api, db, reports, duration, warmUp, runTag, ct);
        AddLoadRate(run, outDirectory, reports);

        if (apiPid is { } pid)
        {
            run.Add(Figure.Single("api.peak_rss", rssReset
                ? "API peak RSS from the rollup loads to the end of ingestion (VmHWM)"
                : "API peak RSS (VmHWM, since the API started)", ProcessStatus.Kb(pid, "VmHWM") / 1024, "MB"));
            run.Add(Figure.Single("api.rss", "API RSS now (VmRSS)", ProcessStatus.Kb(pid, "VmRSS") / 1024, "MB"));
        }
        else
        {
            run.Notes.Add("API RSS not measured: pass --api-pid.");
        }
        run.Add(Figure.Single("db.size", "database size (pg_database_size)", await BaselineSql.DatabaseBytesAsync(db, ct) / 1048576.0, "MB"));
        AddRatiosAndTargets(run, health[0]);

        var markdown = run.Markdown($"{reports:N0} reports");
        await File.WriteAllTextAsync(Path.Combine(outDirectory, $"run-{reports}.md"), markdown, ct);
        var csv = Path.Combine(outDirectory, "figures.csv");
        if (!File.Exists(csv))
        {
            await File.WriteAllTextAsync(csv, RunFigures.CsvHeader + "\n", ct);
        }
        await File.AppendAllLinesAsync(csv, run.CsvRows(), ct);
        Console.WriteLine();
        Console.WriteLine(markdown);
        return 0;
    }

    /// <summary>
    /// How long after a correction is stored the rollup shows it: five times, change the report, then GET (a) until
    /// the changed agency's prefecture-year value has moved by the change; the worst of the five, in milliseconds.
    /// </summary>
    private static async Task<double> Freshness(Api api, string url, string prefecture, int year, Func<long, CancellationToken, Task> change, CancellationToken ct)
    {
        async Task<decimal> Value()
        {
            var json = await api.Http.GetByteArrayAsync(url, ct);
            using var answer = System.Text.Json.JsonDocument.Parse(json);
            var row = answer.RootElement.GetProperty("rows").EnumerateArray()
                .First(r => r.GetProperty("prefecture").GetString() == prefecture && r.GetProperty("year").GetInt32() == year);
            return row.GetProperty("values").GetProperty("proactive.penalty.decisions").GetDecimal();
        }
        var worst = 0.0;
        for (long i = 0; i < 5; i++)
        {
            // ChangeReport sets the penalty to its base + (iteration % 1000 + 1): iterations 500…504 after 499 move it by 1 each.
            await change(499 + i, ct);
            var before = await Value();
            await change(500 + i, ct);
            var start = Stopwatch.GetTimestamp();
            while (await Value() != before + 1)
            {
                if (LatencyLoop.Milliseconds(start) > 10_000)
                {
                    return double.PositiveInfinity;
                }
                await Task.Delay(20, ct);
            }
            worst = Math.Max(worst, LatencyLoop.Milliseconds(start));
        }
        return worst;
    }

    /// <summary>A GET timed from sending to the last byte of the body; anything but 200 (or 304 when revalidating) fails.</summary>
    private static async Task<double> TimedGet(Api api, string url, CancellationToken ct, EntityTagHeaderValue? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }
        var start = Stopwatch.GetTimestamp();
        using var response = await api.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var ms = LatencyLoop.Milliseconds(start);
        var expected = ifNoneMatch is null ? HttpStatusCode.OK : HttpStatusCode.NotModified;
        return response.StatusCode == expected ? ms
            : throw new InvalidOperationException($"GET {url}: HTTP {(int)response.StatusCode}, expected {(int)expected}");
    }

    /// <summary>
    /// Corrections of existing reports (the same sample of the data set for every path): each is the report's
    /// generated document with its review appeals pending and total raised and a tagged overview, so every one is a
    /// real new revision. PUT at 16 and 64 clients, the bulk path when there is one, raw SQL at 16 and 64 connections.
    /// </summary>
    private static async Task MeasureIngestion(RunFigures run, NationalDataSet dataSet, Api api, NpgsqlDataSource db, long reports,
        TimeSpan duration, TimeSpan warmUp, string runTag, CancellationToken ct)
    {
        var pool = Enumerable.Range(0, (int)Math.Min(IngestionPoolSize, reports))
            .Select(k => dataSet.ReportAt(k * reports / Math.Min(IngestionPoolSize, reports)))
            .ToArray();
        var visits = new long[64];
        ReportDocument Correction(int client, int clients, string path)
        {
            var visit = visits[client]++;
            var report = pool[(int)((client + visit * clients) % pool.Length)];
            var document = dataSet.DocumentOf(report);
            var step = visit % 7 + 1;
            document.Overview += $" [{path} {runTag}-{client}-{visit}]";
            document.Set("appeals.review.pending", null, (document.Get("appeals.review.pending") ?? 0) + step);
            document.Set("appeals.review.total", null, (document.Get("appeals.review.total") ?? 0) + step);
            return document;
        }
        BenchReport ReportOf(int client, int clients) => pool[(int)((client + (visits[client] - 1) * clients) % pool.Length)];

        run.Notes.Add($"Ingestion: corrections of {pool.Length:N0} existing reports spread over the data set (review appeals pending " +
                      "and total raised, overview tagged: a new revision each time), partitioned so no two clients write one report. " +
                      "Raw SQL: per report one transaction writing a revision row (canonical document, hash, no findings), the report's " +
                      "current revision, and its cells (DELETE + INSERT … unnest of 207/192 cells), as an Npgsql batch; no rules, no audit.");

        foreach (var clients in new[] { 16, 64 })
        {
            Console.WriteLine($"measure: PUT corrections, {clients} clients");
            Array.Clear(visits);
            run.Add(Figure.Loop("ingest.put", "PUT ingestion (corrections)", clients, await LatencyLoop.RunAsync(clients, duration, warmUp, async (client, _, t) =>
            {
                var body = ReportDocumentJson.Serialize(Correction(client, clients, "put"));
                var report = ReportOf(client, clients);
                var start = Stopwatch.GetTimestamp();
                var (status, problem) = await api.PutReportAsync(report.Agency.Code, report.Year, body, t);
                var ms = LatencyLoop.Milliseconds(start);
                return status == HttpStatusCode.OK ? ms : throw new InvalidOperationException($"PUT: HTTP {(int)status} {problem}");
            }, ct)));
        }

        if (await api.HasBulkPathAsync(ct))
        {
            Console.WriteLine("measure: bulk corrections");
            Array.Clear(visits);
            var lines = Math.Min(pool.Length, 2000);
            var clock = Stopwatch.StartNew();
            var accepted = 0L;
            var requests = 0;
            while (requests < 2 || clock.Elapsed < duration)
            {
                using var body = new MemoryStream();
                for (var i = 0; i < lines; i++)
                {
                    var document = Correction(0, 1, "bulk");
                    var report = ReportOf(0, 1);
                    Api.WriteBulkLine(body, report.Agency.Code, report.Year, ReportDocumentJson.Serialize(document));
                }
                var outcome = await api.PostBulkAsync(body.ToArray(), lines, ct);
                accepted += outcome.Accepted;
                requests++;
                foreach (var problem in outcome.Problems)
                {
                    Console.WriteLine($"  bulk: {problem}");
                }
            }
            run.Add(Figure.Single("ingest.bulk", $"bulk path (corrections, {requests} requests of {lines:N0} lines, one at a time)",
                accepted / clock.Elapsed.TotalSeconds, "reports/s"));
        }
        else
        {
            run.Notes.Add($"Bulk path: POST {Api.BulkPath} answers 404/405 on this API, not measured.");
        }

        var ids = await BaselineSql.ReportIdsAsync(db, pool.Select(r => (r.Agency.Code, r.Year)).Distinct().ToArray(), ct);
        foreach (var clients in new[] { 16, 64 })
        {
            Console.WriteLine($"measure: raw SQL corrections, {clients} connections");
            Array.Clear(visits);
            var connections = new NpgsqlConnection?[clients];
            try
            {
                run.Add(Figure.Loop("ingest.sql", "raw SQL ingestion (same corrections)", clients, await LatencyLoop.RunAsync(clients, duration, warmUp, async (client, _, t) =>
                {
                    var document = Correction(client, clients, "sql");
                    var report = ReportOf(client, clients);
                    var connection = connections[client] ??= await db.OpenConnectionAsync(t);
                    var start = Stopwatch.GetTimestamp();
                    await BaselineSql.StoreRevisionAsync(connection, ids[(report.Agency.Code, report.Year)], report.Year, document, t);
                    return LatencyLoop.Milliseconds(start);
                }, ct)));
            }
            finally
            {
                foreach (var connection in connections)
                {
                    if (connection is not null)
                    {
                        await connection.DisposeAsync();
                    }
                }
            }
        }
    }

    /// <summary>The load rate of the run that brought the database to this size (DIR/load.csv, written by load).</summary>
    private static void AddLoadRate(RunFigures run, string outDirectory, long reports)
    {
        var file = Path.Combine(outDirectory, "load.csv");
        var row = File.Exists(file)
            ? File.ReadLines(file).Skip(1).Select(l => l.Split(',')).LastOrDefault(f => f[0] == reports.ToString(CultureInfo.InvariantCulture))
            : null;
        if (row is null)
        {
            run.Notes.Add("Load rate: no load to this size recorded in load.csv.");
            return;
        }
        var path = row[1] == "bulk" ? "bulk path" : "PUT, 16 clients";
        run.Add(Figure.Single("load.rate", $"load to this size ({row[4]} reports added, {path})",
            double.Parse(row[6], CultureInfo.InvariantCulture), "reports/s"));
    }

    private static void AddRatiosAndTargets(RunFigures run, Figure health)
    {
        double? P50(string key, int clients = 1) => run.All.FirstOrDefault(f => f.Key == key && f.Clients == clients)?.Latency?.P50Ms;
        double? Rate(string key, int clients) => run.All.FirstOrDefault(f => f.Key == key && f.Clients == clients)?.Latency?.PerSecond;
        double? Ratio(double? over, double? under) => over is { } o && under is { } u && u > 0 ? o / u : null;
        void AddRatio(string key, string what, double? value)
        {
            if (value is { } v)
            {
                run.Add(Figure.Single(key, what, v, "×"));
            }
        }
        var emptyP50 = health.Latency!.P50Ms;
        AddRatio("ratio.a_changed_over_empty", "(a) after a change ÷ empty endpoint (p50)", Ratio(P50("a.changed"), emptyP50));
        AddRatio("ratio.a_repeat_over_empty", "(a) repeated ÷ empty endpoint (p50)", Ratio(P50("a.repeat"), emptyP50));
        foreach (var key in new[] { "a", "b", "c" })
        {
            AddRatio($"ratio.sql_{key}_over_api", $"SQL ({key}) ÷ API ({key}) after a change (p50): how much faster the API is", Ratio(P50($"sql.{key}"), P50($"{key}.changed")));
        }
        AddRatio("ratio.put64_over_sql64", "PUT ÷ raw SQL ingestion rate, 64 clients", Ratio(Rate("ingest.put", 64), Rate("ingest.sql", 64)));

        // Issue 9's targets, meant for 1M reports; shown at every size for the trend.
        string Check(string target, double? measured, Func<double, bool> met, string unit) =>
            $"{target}: {(measured is { } m ? $"{RunFigures.Number(Math.Round(m, 2))} {unit} — {(met(m) ? "met" : "not met")}" : "not measured")}";
        run.Notes.Add("Targets of issue 9 (for 1M reports): " + string.Join("; ", new[]
        {
            Check("(a) p50 ≤ 10 ms after a change", P50("a.changed"), m => m <= 10, "ms"),
            Check("(a) ≥ 50× faster than SQL", Ratio(P50("sql.a"), P50("a.changed")), m => m >= 50, "×"),
            Check("(a) repeat ≤ 2× empty endpoint", Ratio(P50("a.repeat"), emptyP50), m => m <= 2, "×"),
            Check("(a) ≥ 500 rollups/s at 16 clients", Rate("a.repeat", 16), m => m >= 500, "/s"),
            Check("(b) p50 ≤ 5 ms", P50("b.changed"), m => m <= 5, "ms"),
            Check("PUT at 64 clients ≥ 50% of raw SQL", Ratio(Rate("ingest.put", 64), Rate("ingest.sql", 64)), m => m >= 0.5, "×"),
            Check("bulk ≥ 2,000 reports/s", run.Find("ingest.bulk")?.Value, m => m >= 2000, "reports/s"),
            Check("RSS ≤ 300 MB under the rollup load", run.Find("api.peak_rss_rollups")?.Value, m => m <= 300, "MB"),
            Check("fresh ≤ 1 s", run.Find("a.fresh")?.Value, m => m <= 1000, "ms"),
        }) + ".");
    }
}
