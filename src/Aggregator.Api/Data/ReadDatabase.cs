using System.Diagnostics.Metrics;
using Aggregator.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Api.Data;

/// <summary>
/// Where queries that may read a moment behind the primary go: a PostgreSQL standby when
/// <c>ConnectionStrings:AggregatorRead</c> is set (one host, or several with Npgsql's <c>Target Session Attributes</c>),
/// otherwise the primary itself. Rollups, lists, exports and completeness read here; writes, and a submitter's reads of
/// its own report and revisions, stay on the primary.
/// <para>
/// <see cref="CaughtUpAsync"/> is for answers that are kept (rollups, by data version): it waits until the standby has
/// replayed everything the primary had committed when it was called — so an answer kept under a data stamp holds every
/// change that stamp counts — and reads from the primary when the standby is further behind than
/// <c>Aggregator:ReadReplica:MaxWait</c>.
/// </para>
/// </summary>
public sealed class ReadDatabase(AggregatorDbContext primary, ReadDatabase.Standby standby, NpgsqlDataSource primarySource) : IAsyncDisposable
{
    private AggregatorDbContext? read;

    /// <summary>The context for lag-tolerant reads (no tracking).</summary>
    public AggregatorDbContext Db => standby.Options is { } options ? read ??= new AggregatorDbContext(options) : primary;

    /// <summary>A context whose database holds at least what the primary had committed when this was called.</summary>
    public async Task<AggregatorDbContext> CaughtUpAsync(CancellationToken cancellationToken)
    {
        if (standby.Options is null)
        {
            return primary;
        }
        var db = Db;
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (await ReplayedAsync(connection, cancellationToken) is not { } replayed)
        {
            return db; // not in recovery: the read connection string led to a primary
        }
        NpgsqlLogSequenceNumber target;
        // The insert position, not the write position: with synchronous_commit off a commit is visible on the primary
        // before its record is written out, and a standby that has replayed up to the write position may lack it.
        await using (var command = primarySource.CreateCommand("SELECT pg_current_wal_insert_lsn()"))
        {
            target = (NpgsqlLogSequenceNumber)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        var deadline = DateTime.UtcNow + standby.MaxWait;
        while (replayed < target)
        {
            if (DateTime.UtcNow >= deadline)
            {
                Standby.Fallbacks.Add(1);
                await db.Database.CloseConnectionAsync();
                return primary;
            }
            await Task.Delay(2, cancellationToken);
            replayed = await ReplayedAsync(connection, cancellationToken) ?? target;
        }
        return db;
    }

    /// <summary>How far a standby has replayed the primary's WAL; null on a server that is not in recovery.</summary>
    private static async Task<NpgsqlLogSequenceNumber?> ReplayedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() END", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is NpgsqlLogSequenceNumber lsn ? lsn : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (read is not null)
        {
            await read.DisposeAsync();
        }
    }

    /// <summary>The standby's context options (none: reads go to the primary) and how long a kept answer waits for it.</summary>
    public sealed class Standby(DbContextOptions<AggregatorDbContext>? options, TimeSpan maxWait)
    {
        public static readonly Counter<long> Fallbacks = Telemetry.Meter.CreateCounter<long>(
            "aggregator.reads.standby_fallbacks", description: "Reads that went to the primary because the standby was too far behind.");

        public DbContextOptions<AggregatorDbContext>? Options { get; } = options;

        public TimeSpan MaxWait { get; } = maxWait;
    }
}
