using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Tests;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;

namespace Aggregator.Api.Tests.Platform;

/// <summary>
/// What an operator sees: one trace per request holding the request's span, one span per command or query under it and
/// the database calls under that, with the trace id in the problem body; Prometheus metrics at /metrics; and, from the
/// service as a process, JSON logs with one request line per request (method, route, status, duration, key id — never
/// the key — and trace id) and OTLP export of traces and metrics to a collector.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private readonly List<Activity> spans = [];
    private readonly TraceTags traces = new();
    private TestDatabase? database;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await database!.DisposeAsync();

    [Fact]
    public async Task A_request_is_one_trace_of_its_own_span_its_query_and_the_queries_database_calls_and_a_problem_names_the_trace()
    {
        await using var api = new ApiOnDatabase(database!.ConnectionString, migrate: true, builder =>
            builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans))));
        var admin = api.Client(ApiFactory.AdminKey);
        var client = api.Client(null, traces);
        await admin.RegisterAgency("otel-pingtan", "350128", "government");
        Assert.Equal(HttpStatusCode.Created, (await admin.PutReport("otel-pingtan", 2021, ReportFixtures.DocumentJson("pingtan-2021"))).StatusCode);
        var seen = spans.Count;

        using var rollup = await client.GetAsync("/api/v1/rollups?metric=proactive.penalty.decisions&groupBy=year");
        Assert.Equal(HttpStatusCode.OK, rollup.StatusCode);
        var server = await SpanOf(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("http.route") == "/api/v1/rollups", seen);
        var query = await SpanOf(s => s.Source.Name == "Aggregator" && s.DisplayName == "GetRollup", seen);
        Assert.Equal(server.TraceId, query.TraceId);
        Assert.Equal(server.SpanId, query.ParentSpanId);
        Assert.Equal("query", query.GetTagItem("aggregator.message.kind"));
        var call = await SpanOf(s => s.Source.Name == "Npgsql" && s.TraceId == server.TraceId, seen);
        Assert.Equal(query.SpanId, call.ParentSpanId);

        using var refused = await client.GetAsync("/api/v1/rollups?metric=no.such.metric&groupBy=year");
        var problem = await refused.Problem(HttpStatusCode.BadRequest);
        var refusedSpan = await SpanOf(s => s.Kind == ActivityKind.Server && s.TraceId.ToHexString() == problem["traceId"]!.GetValue<string>());
        Assert.Equal(400, refusedSpan.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task Metrics_of_requests_commands_and_queries_and_the_runtime_are_served_for_Prometheus_at_metrics()
    {
        await using var api = new ApiOnDatabase(database!.ConnectionString, migrate: true);
        var client = api.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/rollups?metric=proactive.penalty.decisions&groupBy=year")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/metrics")).StatusCode); // the catalogue keeps its path

        using var scrape = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType!.MediaType);
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.Contains("http_server_request_duration_seconds_count{", text);
        Assert.Contains("http_route=\"/api/v1/rollups\"", text);
        Assert.Contains("aggregator_messages_duration_seconds_count{", text);
        Assert.Contains("message=\"GetRollup\"", text);
        Assert.Contains("dotnet_gc_collections_total", text);
        Assert.Contains("db_client_", text); // Npgsql's own metrics
    }

    [Fact]
    public async Task As_a_process_it_logs_json_one_line_per_request_without_the_key_and_exports_traces_and_metrics_by_OTLP()
    {
        using var collector = new OtlpCollector();
        var port = ApiProcess.FreePort();
        await using var api = ApiProcess.Start(port, "Production", new Dictionary<string, string>
        {
            ["ConnectionStrings__Aggregator"] = database!.ConnectionString,
            ["Aggregator__AdminApiKey"] = ApiFactory.AdminKey,
            ["Logging__Console__FormatterName"] = "json",
            ["Aggregator__Telemetry__OtlpEndpoint"] = collector.Address,
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        await api.WaitUntilReady(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/agencies/no-such-agency?x=1");
        request.Headers.Add("X-Api-Key", ApiFactory.AdminKey);
        using var answer = await http.SendAsync(request);
        var problem = await answer.Problem(HttpStatusCode.NotFound);

        var line = await Eventually(() => api.Output.Split('\n').Select(TryJson).FirstOrDefault(j =>
            j?.GetProperty("Category").GetString() == "Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware"
            && j.Value.TryGetProperty("State", out var s) && s.TryGetProperty("Path", out var p) && p.GetString() == "/api/v1/agencies/no-such-agency"));
        var state = line!.Value.GetProperty("State");
        Assert.Equal("GET", state.GetProperty("Method").GetString());
        Assert.Equal("?x=1", state.GetProperty("QueryString").GetString());
        Assert.Equal(404, state.GetProperty("StatusCode").GetInt32());
        Assert.Equal("/api/v1/agencies/{code}", state.GetProperty("Route").GetString());
        Assert.Equal("config", state.GetProperty("KeyId").GetString());
        Assert.Equal(problem["traceId"]!.GetValue<string>(), state.GetProperty("TraceId").GetString());
        Assert.True(state.GetProperty("Duration").GetDouble() > 0);
        Assert.DoesNotContain(ApiFactory.AdminKey, api.Output);
        Assert.DoesNotContain(api.Output.Split('\n'), l => TryJson(l) is { } j && j.TryGetProperty("State", out var s) && s.TryGetProperty("Path", out var p)
            && p.GetString()!.StartsWith("/health", StringComparison.Ordinal));

        await Eventually(() => collector.Received("/v1/traces") && collector.Received("/v1/metrics") ? true : (bool?)null);
        Assert.All(collector.Posts, p => Assert.Equal("application/x-protobuf", p.ContentType));
        Assert.Contains(collector.Posts, p => p.Path == "/v1/traces" && p.Body.AsSpan().IndexOf("aggregator"u8) >= 0);
    }

    /// <summary>
    /// Spans end as their work ends, a moment after the answer: wait for the one looked for, among this test's traces
    /// (in a copy: the exporter adds to the list as spans end).
    /// </summary>
    private async Task<Activity> SpanOf(Func<Activity, bool> match, int from = 0) =>
        await Eventually(() => spans.ToArray()[from..].Where(traces.Holds).FirstOrDefault(match)) ?? throw new Xunit.Sdk.XunitException("No such span.");

    private static async Task<T?> Eventually<T>(Func<T?> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (probe() is { } found)
            {
                return found;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException("Not seen within 20 s.");
            }
            await Task.Delay(100);
        }
    }

    private static JsonElement? TryJson(string line)
    {
        if (!line.TrimStart().StartsWith('{'))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Just enough of an OTLP/HTTP collector: keeps what is posted to it and answers 200.</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly List<(string Path, string? ContentType, byte[] Body)> posts = [];

        public OtlpCollector()
        {
            var port = ApiProcess.FreePort();
            Address = $"http://127.0.0.1:{port}";
            listener.Prefixes.Add(Address + "/");
            listener.Start();
            _ = Task.Run(Serve);
        }

        public string Address { get; }

        public IReadOnlyList<(string Path, string? ContentType, byte[] Body)> Posts
        {
            get
            {
                lock (posts)
                {
                    return posts.ToList();
                }
            }
        }

        public bool Received(string path) => Posts.Any(p => p.Path == path);

        private async Task Serve()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (posts)
                {
                    posts.Add((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
                }
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        public void Dispose() => listener.Close();
    }
}
