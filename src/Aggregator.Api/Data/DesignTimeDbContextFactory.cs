using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Aggregator.Api.Data;

/// <summary>Lets `dotnet ef` build the model without starting the application (and its private PostgreSQL).</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AggregatorDbContext>
{
    public AggregatorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AggregatorDbContext>()
            .UseNpgsql("Host=localhost;Database=aggregator_design", o => o.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .Options);
}
