namespace Aggregator.Api.Infrastructure;

/// <summary>Configuration section <c>Aggregator</c>.</summary>
public sealed class AggregatorOptions
{
    public const string Section = "Aggregator";

    /// <summary>Apply pending migrations at start. Default true.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>The bootstrap admin key (header <c>X-Api-Key</c>); issues the other keys. Unset: only issued keys work.</summary>
    public string? AdminApiKey { get; set; }

    /// <summary>Reads need a key too. Default false: reports are public disclosures.</summary>
    public bool RequireKeyForReads { get; set; }

    public RateLimitOptions RateLimits { get; set; } = new();

    public RollupOptions Rollups { get; set; } = new();

    /// <summary>Section <c>Aggregator:Importer</c>: the limits of an import (time budget, nesting depth, table cells, spans).</summary>
    public Aggregator.Importer.ImporterOptions Importer { get; set; } = new();

    /// <summary>Load the sample reports at start when the database has no agency yet. Default: on in Development.</summary>
    public bool? LoadSampleData { get; set; }

    /// <summary>Where the private PostgreSQL keeps its data when no connection string is configured.</summary>
    public string? LocalPostgresDirectory { get; set; }

    /// <summary>Section <c>Aggregator:ReadReplica</c>: how reads on a standby (ConnectionStrings:AggregatorRead) keep up.</summary>
    public ReadReplicaOptions ReadReplica { get; set; } = new();

    /// <summary>Section <c>Aggregator:Telemetry</c>: Prometheus scrape endpoint, OTLP export, service name.</summary>
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Section <c>Aggregator:Cors</c>: the browser origins allowed to call the API.</summary>
    public CorsSettings Cors { get; set; } = new();

    /// <summary>Section <c>Aggregator:Proxies</c>: the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed.</summary>
    public ProxySettings Proxies { get; set; } = new();
}

public sealed class ReadReplicaOptions
{
    /// <summary>How long a rollup computed on the standby waits for it to replay what the primary has; then the primary answers.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>
/// Configuration section <c>Aggregator:RateLimits</c>: requests per minute, per verified key or per client address, and
/// the tighter limits of imports.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Per verified API key.</summary>
    public int PerKeyPerMinute { get; set; } = 600;

    /// <summary>Per client address, for requests without a verified key (none, unknown, malformed, revoked or expired).</summary>
    public int AnonymousPerMinute { get; set; } = 120;

    /// <summary>Imports (POST /api/v1/imports) per minute per caller (verified key, else client address), on top of the above.</summary>
    public int ImportsPerMinute { get; set; } = 20;

    /// <summary>Imports running at once on the instance, all callers together.</summary>
    public int ImportConcurrency { get; set; } = 2;

    /// <summary>Imports waiting for a free slot; one more is refused with 429.</summary>
    public int ImportQueue { get; set; } = 4;
}

/// <summary>Configuration section <c>Aggregator:Rollups</c>: the read model.</summary>
public sealed class RollupOptions
{
    /// <summary>How often the delta queue is folded into the summary tables. Default 250 ms.</summary>
    public TimeSpan FoldInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How many bytes of answers the instance keeps cached (by data version). Default 64 MiB.</summary>
    public long CacheBytes { get; set; } = 64 * 1024 * 1024;
}
