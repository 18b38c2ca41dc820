using Microsoft.Extensions.Options;
using Npgsql;
using Aggregator.Api.Infrastructure;

namespace Aggregator.Api.Data.ReadModel;

/// <summary>
/// Folds the rollup delta queue into the summary tables every <see cref="RollupOptions.FoldInterval"/>, in batches,
/// until the queue is empty. Several instances may run one each: the advisory lock lets one fold at a time. Answers do
/// not wait for it (queries add what is not folded yet); folding keeps that part small.
/// </summary>
public sealed class RollupFolder(NpgsqlDataSource database, IOptions<AggregatorOptions> options, ILogger<RollupFolder> logger) : BackgroundService
{
    private const int BatchSize = 5000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Rollups.FoldInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                while (await RollupProjection.FoldAsync(connection, BatchSize, stoppingToken) == BatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The database away or busy: the deltas stay queued and answers stay right; try again later.
                logger.LogWarning(e, "Could not fold the rollup deltas; retrying in {Interval}", interval * 20);
                await Delay(interval * 20, stoppingToken);
                continue;
            }
            await Delay(interval, stoppingToken);
        }
    }

    private static async Task Delay(TimeSpan interval, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(interval, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
