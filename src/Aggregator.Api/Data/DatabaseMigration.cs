using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Aggregator.Api.Data;

public static class DatabaseMigration
{
    /// <summary>
    /// Applies the pending migrations. The history table is created first: on a fresh database EF Core otherwise reads it
    /// before it exists and logs that failed query at Error level although nothing is wrong (npgsql/efcore.pg#3407), which
    /// would hide among real failures. With none pending nothing more is done: EF Core's migrate builds the model of the
    /// migrations' snapshot and the design-time model to compare them before it looks, which is most of the CPU a start
    /// spends before it serves (an API started again after a crash serves that much later). That comparison is CI's job
    /// (<c>dotnet ef migrations has-pending-model-changes</c>).
    /// </summary>
    public static async Task MigrateAsync(this AggregatorDbContext database, CancellationToken cancellationToken = default)
    {
        await database.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        if (!(await database.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            return;
        }
        await database.Database.MigrateAsync(cancellationToken);
    }
}
