using Npgsql;

namespace Aggregator.Api.Data.ReadModel;

/// <summary>
/// Listens for the changes other instances (and bulk loads) commit — the write path notifies
/// <see cref="RollupDeltas.Channel"/> with the report year, or <c>*</c> for an agency — and bumps
/// <see cref="DataVersions"/>, so cached rollups of changed years are recomputed. After a lost connection everything
/// counts as changed: notifications may have been missed.
/// </summary>
public sealed class RollupChangeListener(NpgsqlDataSource database, DataVersions versions, ILogger<RollupChangeListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, notification) =>
                {
                    var payload = notification.Payload.Split('@');
                    if (payload.Length == 2 && payload[1] == versions.Instance)
                    {
                        return; // this instance's own change, counted as it committed
                    }
                    if (int.TryParse(payload[0], out var year))
                    {
                        versions.Changed(year);
                    }
                    else
                    {
                        versions.ChangedAll();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {RollupDeltas.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                versions.ChangedAll();
                try
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await connection.WaitAsync(stoppingToken);
                    }
                }
                finally
                {
                    // Pooled connections are not reset on return (NoResetOnClose): leave none listening.
                    if (connection.State == System.Data.ConnectionState.Open)
                    {
                        await using var unlisten = new NpgsqlCommand("UNLISTEN *", connection);
                        await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
            {
                versions.ChangedAll();
                logger.LogWarning(e, "Lost the rollup change notifications; listening again in 1 s");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
