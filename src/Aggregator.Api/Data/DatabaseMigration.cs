using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aggregator.Api.Data;

public static class DatabaseMigration
{
    /// <summary>
    /// Applies the pending migrations. The history table is created first: on a fresh database EF Core otherwise reads it
    /// before it exists and logs that failed query at Error level although nothing is wrong (npgsql/efcore.pg#3407), which
    /// would hide among real failures.
    /// </summary>
    public static async Task MigrateAsync(this AggregatorDbContext database, CancellationToken cancellationToken = default)
    {
        await database.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        await database.Database.MigrateAsync(cancellationToken);
    }
}
