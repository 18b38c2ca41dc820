using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aggregator.Api.Tests.Infrastructure;

/// <summary>
/// The API on a real TCP port (Kestrel on a free loopback port), configured as <c>dotnet run</c> starts it: the
/// Development environment (so the admin key is appsettings.Development.json's) with the sample reports loaded, on a
/// fresh test database. For clients outside the process, such as curl.
/// </summary>
public sealed class LiveApi : WebApplicationFactory<Program>
{
    private readonly TestDatabase database;

    private LiveApi(TestDatabase database) => this.database = database;

    /// <summary>The address the API listens on, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public Uri Address { get; private set; } = null!;

    public static async Task<LiveApi> StartAsync()
    {
        var api = new LiveApi(await TestDatabase.CreateAsync());
        try
        {
            api.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            api.StartServer();
            var addresses = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            api.Address = new Uri(addresses.Single());
            return api;
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Aggregator", database.ConnectionString);
        builder.UseSetting("Aggregator:LoadSampleData", "true");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await database.DisposeAsync();
    }
}
