using System.Diagnostics;

namespace Aggregator.Scale;

/// <summary>Latencies of one loop: how many were timed, the median and 99th percentile, and the rate reached.</summary>
public sealed record LatencyResult(int Samples, double P50Ms, double P99Ms, double PerSecond, int Errors);

/// <summary>
/// Runs an operation from N concurrent clients: a warm-up whose timings are dropped, then each client repeats the
/// operation until the duration is over (at least once each). The operation times its own measured part, so untimed
/// preparation (a change to the data before a read) stays out of the figure; the rate counts measured operations over
/// the wall time of the timed phase.
/// </summary>
public static class LatencyLoop
{
    /// <param name="operation">(client, iteration) → milliseconds of the measured part; throws on a failure.</param>
    public static async Task<LatencyResult> RunAsync(int clients, TimeSpan duration, TimeSpan warmUp,
        Func<int, long, CancellationToken, Task<double>> operation, CancellationToken cancellationToken)
    {
        var iteration = 0L;
        var errors = 0;
        async Task<double?> Once(int client, CancellationToken ct)
        {
            try
            {
                return await operation(client, Interlocked.Increment(ref iteration), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                if (Interlocked.Increment(ref errors) <= 3)
                {
                    Console.WriteLine($"  failed: {Api.Shorten(e.Message)}");
                }
                return null;
            }
        }

        async Task Phase(TimeSpan length, List<double>? timings)
        {
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
            {
                do
                {
                    if (await Once(client, cancellationToken) is { } ms && timings is not null)
                    {
                        lock (timings)
                        {
                            timings.Add(ms);
                        }
                    }
                } while (clock.Elapsed < length && !cancellationToken.IsCancellationRequested);
            }, cancellationToken)));
        }

        await Phase(warmUp, null);
        errors = 0;
        var timings = new List<double>();
        var wall = Stopwatch.StartNew();
        await Phase(duration, timings);
        wall.Stop();
        timings.Sort();
        return timings.Count == 0
            ? new LatencyResult(0, double.NaN, double.NaN, 0, errors)
            : new LatencyResult(timings.Count, Percentile(timings, 0.50), Percentile(timings, 0.99),
                timings.Count / wall.Elapsed.TotalSeconds, errors);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static double Milliseconds(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}
