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
    private readonly Action<IWebHostBuilder>? configure;

    private LiveApi(TestDatabase database, Action<IWebHostBuilder>? configure)
    {
        this.database = database;
        this.configure = configure;
    }

    /// <summary>The address the API listens on, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <param name="configure">More for the host on top of the above (settings, a clock).</param>
    public static async Task<LiveApi> StartAsync(Action<IWebHostBuilder>? configure = null)
    {
        var api = new LiveApi(await TestDatabase.CreateAsync(), configure);
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
        configure?.Invoke(builder);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await database.DisposeAsync();
    }
}
