using System.Diagnostics;
using System.Globalization;
using System.Net;
using Aggregator.Domain;

namespace Aggregator.Scale;

/// <summary>
/// Loads the data set up to N reports through the product's own write paths: agencies by POST, reports by the bulk
/// path when the API has it, else by PUT one report at a time. Incremental: it counts the reports already there and
/// submits from a little before that point (a resubmitted identical document is an unchanged revision), so a
/// database can grow 10k → 100k → 1M.
/// </summary>
public static class LoadCommand
{
    private const int BulkLinesPerRequest = 5_000; // the path takes up to 10,000; two requests in flight
    private const int BulkRequestsInFlight = 2;

    public static async Task<int> RunAsync(Options options, CancellationToken cancellationToken)
    {
        var dataSet = DataSetOptions.From(options);
        var target = Math.Min(options.Number("reports"), dataSet.Size);
        var clients = (int)options.Number("clients", 16);
        using var api = new Api(options.Text("api"), options.Text("key"));

        var existing = await api.CountReportsAsync(cancellationToken);
        var useBulk = await api.HasBulkPathAsync(cancellationToken);
        var path = useBulk ? $"bulk (POST {Api.BulkPath})" : "PUT per report (the bulk path answers 404/405)";
        // Reports in flight when an earlier run stopped may be missing just below the count: start before it.
        var margin = useBulk ? BulkLinesPerRequest * BulkRequestsInFlight : clients * 4;
        var start = Math.Max(0, Math.Min(existing, target) - margin);
        Console.WriteLine($"load: target {target:N0} of the data set's {dataSet.Size:N0} reports (seed {dataSet.Seed}, " +
                          $"{ReportYears.First}–{dataSet.LastYear}); {existing:N0} there; submitting from #{start:N0}; path: {path}");
        if (existing >= target)
        {
            Console.WriteLine("load: nothing to add");
            return 0;
        }

        var errors = new ErrorLog();
        var agencyClock = Stopwatch.StartNew();
        var firstAgency = (int)(start / dataSet.YearsPerAgency);
        var agencies = dataSet.Agencies.Skip(firstAgency).Take(dataSet.AgenciesFor(target) - firstAgency).ToArray();
        var registered = 0;
        await Parallel.ForEachAsync(agencies, InFlight(clients, cancellationToken), async (agency, ct) =>
        {
            var status = await api.RegisterAsync(agency, ct);
            if (status is HttpStatusCode.Created or HttpStatusCode.Conflict)
            {
                Interlocked.Increment(ref registered);
            }
            else
            {
                errors.Add($"register {agency.Code}: HTTP {(int)status}");
            }
        });
        agencyClock.Stop();
        Console.WriteLine($"load: {registered:N0} agencies registered or already there in {agencyClock.Elapsed.TotalSeconds:F1} s " +
                          $"({registered / agencyClock.Elapsed.TotalSeconds:N0}/s)");

        var submitted = 0L;
        var reportClock = Stopwatch.StartNew();
        using var progress = Progress(() => submitted, target - start, reportClock);
        if (useBulk)
        {
            var batches = Batches(start, target, BulkLinesPerRequest);
            await Parallel.ForEachAsync(batches, InFlight(BulkRequestsInFlight, cancellationToken), async (batch, ct) =>
            {
                using var body = new MemoryStream();
                for (var position = batch.From; position < batch.To; position++)
                {
                    var report = dataSet.ReportAt(position);
                    Api.WriteBulkLine(body, report.Agency.Code, report.Year, ReportDocumentJson.Serialize(dataSet.DocumentOf(report)));
                }
                var outcome = await api.PostBulkAsync(body.ToArray(), (int)(batch.To - batch.From), ct);
                Interlocked.Add(ref submitted, outcome.Accepted);
                foreach (var problem in outcome.Problems)
                {
                    errors.Add($"bulk #{batch.From:N0}–{batch.To - 1:N0}: {problem}");
                }
                errors.Count(outcome.Refused - outcome.Problems.Count);
            });
        }
        else
        {
            await Parallel.ForEachAsync(Positions(start, target), InFlight(clients, cancellationToken), async (position, ct) =>
            {
                var report = dataSet.ReportAt(position);
                var document = ReportDocumentJson.Serialize(dataSet.DocumentOf(report));
                var (status, problem) = await api.PutReportAsync(report.Agency.Code, report.Year, document, ct);
                if (status == HttpStatusCode.NotFound)
                {
                    // An agency an earlier, interrupted run did not get to register.
                    await api.RegisterAsync(report.Agency, ct);
                    (status, problem) = await api.PutReportAsync(report.Agency.Code, report.Year, document, ct);
                }
                if (status is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref submitted);
                }
                else
                {
                    errors.Add($"PUT {report.Agency.Code} {report.Year}: HTTP {(int)status} {Api.Shorten(problem ?? "")}");
                }
            });
        }
        reportClock.Stop();
        var rate = submitted / reportClock.Elapsed.TotalSeconds;
        Console.WriteLine($"load: {submitted:N0} reports submitted in {reportClock.Elapsed.TotalSeconds:F1} s = {rate:N0} reports/s " +
                          $"({(useBulk ? "bulk" : "PUT")}, {(useBulk ? BulkRequestsInFlight : clients)} in flight); {errors.Total} refused or failed");
        errors.Print();

        if (options.TextOrNull("out") is { } outDirectory)
        {
            Directory.CreateDirectory(outDirectory);
            var file = Path.Combine(outDirectory, "load.csv");
            if (!File.Exists(file))
            {
                File.WriteAllText(file, "target_reports,path,agencies,agency_seconds,reports_submitted,report_seconds,reports_per_second,errors\n");
            }
            File.AppendAllText(file, string.Create(CultureInfo.InvariantCulture,
                $"{target},{(useBulk ? "bulk" : "put")},{registered},{agencyClock.Elapsed.TotalSeconds:F1},{submitted},{reportClock.Elapsed.TotalSeconds:F1},{rate:F1},{errors.Total}\n"));
        }
        return errors.Total == 0 ? 0 : 1;
    }

    private static ParallelOptions InFlight(int degree, CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = degree, CancellationToken = cancellationToken };

    private static IEnumerable<long> Positions(long from, long to)
    {
        for (var position = from; position < to; position++)
        {
            yield return position;
        }
    }

    private static IEnumerable<(long From, long To)> Batches(long from, long to, int size)
    {
        for (var position = from; position < to; position += size)
        {
            yield return (position, Math.Min(to, position + size));
        }
    }

    private static Timer Progress(Func<long> done, long total, Stopwatch clock) => new(_ =>
    {
        var n = done();
        var rate = n / Math.Max(0.001, clock.Elapsed.TotalSeconds);
        var left = rate > 0 ? TimeSpan.FromSeconds((total - n) / rate) : TimeSpan.Zero;
        Console.WriteLine($"load: {n:N0}/{total:N0} reports, {rate:N0}/s, about {left:hh\\:mm\\:ss} left");
    }, null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
}

/// <summary>Refusals and failures: all counted, the first few kept to print.</summary>
public sealed class ErrorLog
{
    private readonly List<string> first = [];
    private int total;

    public int Total => total;

    public void Add(string message)
    {
        Interlocked.Increment(ref total);
        lock (first)
        {
            if (first.Count < 10)
            {
                first.Add(message);
            }
        }
    }

    public void Count(int more) => Interlocked.Add(ref total, Math.Max(0, more));

    public void Print()
    {
        lock (first)
        {
            foreach (var message in first)
            {
                Console.WriteLine("  " + message);
            }
        }
    }
}
