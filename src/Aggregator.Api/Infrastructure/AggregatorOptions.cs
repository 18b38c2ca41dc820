namespace Aggregator.Api.Infrastructure;

/// <summary>Configuration section <c>Aggregator</c>.</summary>
public sealed class AggregatorOptions
{
    public const string Section = "Aggregator";

    /// <summary>Apply pending migrations at start. Default true.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>The key (header <c>X-Api-Key</c>) that authorises writes. Writes are refused while it is unset.</summary>
    public string? AdminApiKey { get; set; }

    /// <summary>Load the sample reports at start when the database has no agency yet. Default: on in Development.</summary>
    public bool? LoadSampleData { get; set; }

    /// <summary>Where the private PostgreSQL keeps its data when no connection string is configured.</summary>
    public string? LocalPostgresDirectory { get; set; }
}
