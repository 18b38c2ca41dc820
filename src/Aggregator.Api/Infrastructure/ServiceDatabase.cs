namespace Aggregator.Api.Infrastructure;

/// <summary>
/// The PostgreSQL the service uses: <c>ConnectionStrings:Aggregator</c> when set; otherwise, in Development and Testing only,
/// a private server of this instance (see <see cref="LocalPostgresFolder"/> for where it keeps its data).
/// </summary>
public static class ServiceDatabase
{
    public const string ConnectionStringSetting = "ConnectionStrings:Aggregator";

    /// <summary>The optional connection string of the standby (or standbys) that lag-tolerant queries read from.</summary>
    public const string ReadConnectionStringName = "AggregatorRead";

    /// <summary>The connection string, and the private server started for it (the caller stops it), if one was.</summary>
    public static async Task<(string ConnectionString, LocalPostgres? PrivateServer)> ResolveAsync(WebApplicationBuilder builder, AggregatorOptions settings)
    {
        var configured = builder.Configuration.GetConnectionString("Aggregator");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return (configured, null);
        }
        var environment = builder.Environment;
        if (!environment.IsDevelopment() && !environment.IsEnvironment("Testing"))
        {
            throw new StartupFailure($"No database configured: set {ConnectionStringSetting} (environment variable ConnectionStrings__Aggregator). " +
                                     $"A private PostgreSQL is started only in Development and Testing, and this is {environment.EnvironmentName}.");
        }
        var folder = settings.LocalPostgresDirectory is { Length: > 0 } configuredFolder
            ? new LocalPostgresFolder(configuredFolder)
            : LocalPostgresFolder.DefaultFor(environment.ContentRootPath, HttpAddresses(builder.Configuration));
        var server = await LocalPostgres.StartAsync(folder, "aggregator", durable: true, Console.WriteLine);
        return (server.ConnectionString, server);
    }

    /// <summary>
    /// The connection string as the service uses it, unless the setting says otherwise: connections go back to the pool
    /// without the <c>DISCARD ALL</c> round trip (the service sets no session state that could leak between requests),
    /// and statements run often are prepared once per connection (Npgsql's automatic preparation), which spares the
    /// planning of every rollup and submission.
    /// </summary>
    public static string Tuned(string connectionString)
    {
        var settings = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("reset on close", StringComparison.OrdinalIgnoreCase))
        {
            settings.NoResetOnClose = true;
        }
        if (!connectionString.Contains("auto prepare", StringComparison.OrdinalIgnoreCase))
        {
            settings.MaxAutoPrepare = 64;
        }
        return settings.ConnectionString;
    }

    /// <summary>Everything that says where this instance listens (--urls, ASPNETCORE_URLS, HTTP(S)_PORTS, Kestrel endpoints).</summary>
    private static string HttpAddresses(IConfiguration configuration) => string.Join(";",
        new[] { configuration["urls"], configuration["http_ports"], configuration["https_ports"] }
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"]))
            .Where(address => !string.IsNullOrWhiteSpace(address)));
}
