using Aggregator.Api.Infrastructure.Problems;
using Aggregator.Api.Data.ReadModel;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Aggregator.Api.Data;

/// <summary>
/// Registers an agency and, in the same transaction, tells the rollup read model that one more agency is expected to
/// report in its active years. Every registration path (the API, sample data) writes here.
/// </summary>
public sealed class AgencyRegistry(AggregatorDbContext db, DataVersions versions)
{
    public async Task RegisterAsync(Agency agency, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Database.AutoSavepointsEnabled = false;
        db.Agencies.Add(agency);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw new ConflictException($"An agency with code '{agency.Code}' is already registered.");
        }
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var batch = new NpgsqlBatch(connection) { BatchCommands = { RollupDeltas.ForAgency(agency), RollupDeltas.NotifyAll(versions.Instance) } })
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        versions.ChangedAll();
    }
}
