using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Aggregator.Api.Tests.Infrastructure;

/// <summary>
/// The API over HTTP (in-process test server) on its own real PostgreSQL database. The collection fixture is shared by
/// most tests; a class whose expectations need a database of its own (totals over everything) takes one as a class fixture.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "test-admin-key";

    private TestDatabase? database;

    public string ConnectionString => database!.ConnectionString;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        Console.WriteLine($"Tests run on {database.Source}.");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Aggregator", database!.ConnectionString);
        builder.UseSetting("Aggregator:AdminApiKey", AdminKey);
        builder.UseSetting("Aggregator:LoadSampleData", "false");
        builder.UseSetting("Aggregator:RateLimits:PerKeyPerMinute", "1000000");
        builder.UseSetting("Aggregator:RateLimits:AnonymousPerMinute", "1000000");
    }

    /// <summary>A client that sends the admin key.</summary>
    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    /// <summary>A client without a key: what the public sees.</summary>
    public HttpClient Anonymous() => CreateClient();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>
{
    public const string Name = "api";
}
