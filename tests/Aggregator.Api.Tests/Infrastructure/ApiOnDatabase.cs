using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Aggregator.Api.Tests.Infrastructure;

/// <summary>The API over HTTP (in-process test server) on a database the test owns: a server of its own, a restored dump.</summary>
/// <param name="configure">More of the host's configuration: settings, test services (an in-memory span exporter).</param>
public sealed class ApiOnDatabase(string connectionString, bool migrate, Action<IWebHostBuilder>? configure = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Aggregator", connectionString);
        builder.UseSetting("Aggregator:AdminApiKey", ApiFactory.AdminKey);
        builder.UseSetting("Aggregator:LoadSampleData", "false");
        builder.UseSetting("Aggregator:MigrateOnStart", migrate ? "true" : "false");
        configure?.Invoke(builder);
    }

    /// <param name="handlers">Between the client and the server, e.g. <see cref="TraceTags"/>.</param>
    public HttpClient Client(string? key = null, params DelegatingHandler[] handlers)
    {
        var client = CreateDefaultClient(handlers);
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        return client;
    }
}
