using System.Net;
using System.Runtime.Versioning;
using Aggregator.Api.Tests.Infrastructure;

namespace Aggregator.Api.Tests.Platform;

/// <summary>The API started from a directory without its appsettings files still reads them (from its own folder). A real process.</summary>
[SupportedOSPlatform("linux")]
public sealed class ContentRootTests : IAsyncLifetime
{
    private readonly string elsewhere = Path.Combine(Path.GetTempPath(), $"aggregator-test-cwd-{Guid.NewGuid():N}");
    private TestDatabase? database;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(elsewhere);
        database = await TestDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        Directory.Delete(elsewhere, recursive: true);
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Started_from_another_directory_the_API_loads_its_appsettings()
    {
        // The Development admin key comes only from appsettings.Development.json beside the executable.
        await using var api = ApiProcess.Start(ApiProcess.FreePort(), "Development",
            new Dictionary<string, string> { ["ConnectionStrings__Aggregator"] = database!.ConnectionString }, workingDirectory: elsewhere);
        await api.WaitUntilReady(TimeSpan.FromSeconds(90));

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{api.Port}") };
        client.DefaultRequestHeaders.Add("X-Api-Key", "dev-admin-key");
        var response = await client.GetAsync("/api/v1/api-keys");

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
