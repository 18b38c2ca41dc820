using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Aggregator.Api.Tests.Infrastructure;

/// <summary>The API over HTTP (in-process test server) on a database the test owns: a server of its own, a restored dump.</summary>
public sealed class ApiOnDatabase(string connectionString, bool migrate) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Aggregator", connectionString);
        builder.UseSetting("Aggregator:AdminApiKey", ApiFactory.AdminKey);
        builder.UseSetting("Aggregator:LoadSampleData", "false");
        builder.UseSetting("Aggregator:MigrateOnStart", migrate ? "true" : "false");
    }

    public HttpClient Client(string? key = null)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        return client;
    }
}
