using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Tests;

namespace Aggregator.Api.Tests.Platform;

/// <summary>
/// The database away: a private PostgreSQL of the test's own, crashed (immediate shutdown) and started again, and a
/// server that answers every connection "the database system is starting up" (57P03, what PostgreSQL says during crash
/// recovery). Every request answers 503 problem+json with Retry-After — a read, a write with a made-up key (its key cannot
/// be checked: not 401), a write with a real key — readiness fails, and the service serves again soon after the database is back.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private const string MadeUpKey = "agg_0123456789abcdef0123456789abcdef_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly LocalPostgresFolder folder = new(Path.Combine(Path.GetTempPath(), $"aggregator-test-outage-{Guid.NewGuid():N}"));
    private LocalPostgres? server;

    public async Task InitializeAsync() => server = await LocalPostgres.StartAsync(folder, "aggregator", durable: true); // durable: what was committed before the crash is there after it

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
        await ApiProcess.RemoveServerFolder(folder);
    }

    [Fact]
    public async Task While_the_database_is_down_requests_are_503_with_Retry_After_and_it_serves_again_within_5_s_of_its_restart()
    {
        await using var api = new ApiOnDatabase(server!.ConnectionString, migrate: true);
        var admin = api.Client(ApiFactory.AdminKey);
        var agency = Http.Unique("outage");
        await admin.RegisterAgency(agency, "350128", "government");
        var issued = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { role = "bureau", agency })).Json();
        var bureau = api.Client(issued["key"]!.GetValue<string>());
        var document = ReportFixtures.DocumentJson("pingtan-2021");
        Assert.Equal(HttpStatusCode.Created, (await bureau.PutReport(agency, 2021, document)).StatusCode);
        var changed = System.Text.Json.Nodes.JsonNode.Parse(document)!;
        changed["overview"] = "更正：" + changed["overview"];
        var corrected = changed.ToJsonString();

        await server.CrashAsync();

        await Unavailable(await api.Client().GetAsync("/api/v1/agencies"));
        await Unavailable(await api.Client().GetAsync($"/api/v1/agencies/{agency}/reports/2021"));
        await Unavailable(await api.Client(MadeUpKey).PutReport(agency, 2021, corrected));
        await Unavailable(await bureau.PutReport(agency, 2021, corrected));
        await Unavailable(await admin.PostAsJsonAsync("/api/v1/agencies", new { code = Http.Unique("late"), name = "测试", divisionCode = "350128", sector = "government" }));
        var notReady = await api.Client().GetAsync("/health/ready");
        await Unavailable(notReady);
        Assert.Equal("postgres", (await notReady.Problem(HttpStatusCode.ServiceUnavailable))["checks"]!.AsArray().Single()!.GetValue<string>());

        await server.RestartAsync();
        var back = Stopwatch.StartNew();
        HttpResponseMessage? read = null, write = null;
        while (back.Elapsed < TimeSpan.FromSeconds(10))
        {
            read = await api.Client().GetAsync($"/api/v1/agencies/{agency}/reports/2021");
            write = read.IsSuccessStatusCode ? await bureau.PutReport(agency, 2021, corrected) : null;
            if (read.IsSuccessStatusCode && write?.IsSuccessStatusCode == true)
            {
                break;
            }
            await Task.Delay(100);
        }
        back.Stop();

        Assert.True(write?.StatusCode == HttpStatusCode.OK, $"Not serving again after {back.Elapsed}: {(int?)read?.StatusCode} / {(int?)write?.StatusCode}");
        Assert.True(back.Elapsed <= TimeSpan.FromSeconds(5), $"Serving again took {back.Elapsed}.");
        Assert.Equal(2, (await write!.Json())["revision"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await api.Client().GetAsync("/health/ready")).StatusCode);
        await (await api.Client(MadeUpKey).PutReport(agency, 2021, corrected)).Problem(HttpStatusCode.Unauthorized); // checked again, and refused
    }

    [Fact]
    public async Task A_database_starting_up_57P03_is_503_with_Retry_After_on_reads_and_writes_and_readiness_fails()
    {
        using var startingUp = new StartingUpServer();
        await using var api = new ApiOnDatabase($"Host=127.0.0.1;Port={startingUp.Port};Username=aggregator;Password=x;Database=aggregator;Timeout=5", migrate: false);

        await Unavailable(await api.Client().GetAsync("/api/v1/agencies"));
        await Unavailable(await api.Client(MadeUpKey).PutReport("someone", 2021, ReportFixtures.DocumentJson("pingtan-2021")));
        await Unavailable(await api.Client(ApiFactory.AdminKey).PostAsJsonAsync("/api/v1/agencies",
            new { code = "starting", name = "测试", divisionCode = "350128", sector = "government" }));
        await Unavailable(await api.Client().GetAsync("/health/ready"));
        Assert.True(startingUp.Connections > 0);
    }

    private static async Task Unavailable(HttpResponseMessage response)
    {
        var problem = await response.Problem(HttpStatusCode.ServiceUnavailable);
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 }, $"No Retry-After on {response.RequestMessage?.RequestUri}");
        Assert.Contains("database", problem["detail"]!.GetValue<string>());
    }

    /// <summary>
    /// Speaks just enough of PostgreSQL's protocol to refuse every connection as a server in crash recovery does:
    /// "N" to an SSL or GSS encryption request, then an ErrorResponse FATAL 57P03 to the startup message.
    /// </summary>
    private sealed class StartingUpServer : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private int connections;

        public StartingUpServer()
        {
            listener.Start();
            _ = Task.Run(Accept);
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref connections);

        private async Task Accept()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                Interlocked.Increment(ref connections);
                _ = Task.Run(() => Refuse(client));
            }
        }

        private static async Task Refuse(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var header = new byte[8];
                    while (true)
                    {
                        await stream.ReadExactlyAsync(header);
                        var length = BinaryPrimitives.ReadInt32BigEndian(header);
                        var code = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
                        if (code is 80877103 or 80877104) // SSLRequest, GSSENCRequest
                        {
                            await stream.WriteAsync("N"u8.ToArray());
                            continue;
                        }
                        await stream.ReadExactlyAsync(new byte[length - 8]);
                        break;
                    }
                    var fields = Encoding.UTF8.GetBytes("SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0");
                    var message = new byte[5 + fields.Length];
                    message[0] = (byte)'E';
                    BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), 4 + fields.Length);
                    fields.CopyTo(message, 5);
                    await stream.WriteAsync(message);
                    await stream.FlushAsync();
                }
                catch (Exception e) when (e is IOException or SocketException or EndOfStreamException)
                {
                }
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}
