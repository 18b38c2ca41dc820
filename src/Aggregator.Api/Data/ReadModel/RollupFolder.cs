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

    /// <summary>Deltas folded since the queue was last vacuumed after which the folder vacuums it once it is empty.</summary>
    private const int VacuumAfter = 20_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Rollups.FoldInterval;
        var sinceVacuum = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                int folded;
                do
                {
                    folded = await RollupProjection.FoldAsync(connection, BatchSize, stoppingToken);
                    sinceVacuum += folded;
                }
                while (folded == BatchSize);
                if (sinceVacuum >= VacuumAfter)
                {
                    await RollupProjection.VacuumQueueAsync(connection, stoppingToken);
                    sinceVacuum = 0;
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
