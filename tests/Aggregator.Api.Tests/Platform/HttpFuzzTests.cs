using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Api.Tests.Platform.Fuzz;
using Aggregator.Tests;
using Xunit.Abstractions;

namespace Aggregator.Api.Tests.Platform;

/// <summary>
/// Issue #10's HTTP fuzz run: requests made from the committed OpenAPI document and mutated (see
/// <see cref="RequestGenerator"/>), sent as raw bytes over real TCP to the API run as its own process on its own
/// PostgreSQL database, from a few connections at once. Every answer is below 500; every 4xx is problem+json (but for
/// requests malformed at the HTTP level, which Kestrel answers itself); a 405 names what is allowed. Afterwards the
/// database holds exactly what the 2xx answers acknowledged, the API is ready, and its peak memory is printed.
/// A second small phase runs another instance with low rate limits, where requests must meet 429s with Retry-After.
/// Seed and size come from AGGREGATOR_FUZZ_SEED and AGGREGATOR_FUZZ_REQUESTS (AGGREGATOR_FUZZ_ONLY=3,17 sends just
/// those requests of the seed); the seed, the figures by status and by operation are printed, and a failure prints
/// the requests that failed and the seed. It runs alone, after the other tests, as the importer's fuzz test does.
/// </summary>
[CollectionDefinition(nameof(HttpFuzzTests), DisableParallelization = true)]
[Collection(nameof(HttpFuzzTests))]
public sealed class HttpFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20261201;
    private const int DefaultRequests = 10_000;
    private const int Connections = 4;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>No answer may take longer than this (unbounded work), on a loaded 2-core machine.</summary>
    private static readonly TimeSpan SlowestAllowed = TimeSpan.FromSeconds(10);

    private const long PeakMemoryAllowed = 1L << 30;

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private void Print(string text)
    {
        output.WriteLine(text);
        Console.WriteLine(text);
    }

    [Fact]
    public async Task Fuzzed_requests_from_the_OpenAPI_document_answer_no_5xx_and_the_database_holds_exactly_what_was_acknowledged()
    {
        var seed = Setting("AGGREGATOR_FUZZ_SEED", DefaultSeed);
        var count = Setting("AGGREGATOR_FUZZ_REQUESTS", DefaultRequests);
        var only = Environment.GetEnvironmentVariable("AGGREGATOR_FUZZ_ONLY")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(i => int.Parse(i, CultureInfo.InvariantCulture)).ToArray();
        var total = Stopwatch.StartNew();

        await using var database = await TestDatabase.CreateAsync();
        var port = ApiProcess.FreePort();
        await using var api = ApiProcess.Start(port, "Testing", ApiSettings(database.ConnectionString, new()
        {
            ["PerKeyPerMinute"] = "1000000", ["AnonymousPerMinute"] = "1000000", ["ImportsPerMinute"] = "1000000", ["ImportQueue"] = "1000",
        }));
        await api.WaitUntilReady(TimeSpan.FromSeconds(90));
        // A second instance with low limits, for the limiter phase at the end: started now (the schema is there) so that its
        // start overlaps the run; idle until then.
        var limiterPort = ApiProcess.FreePort();
        await using var limited = ApiProcess.Start(limiterPort, "Testing", ApiSettings(database.ConnectionString, new()
        {
            ["PerKeyPerMinute"] = "12", ["AnonymousPerMinute"] = "12", ["ImportsPerMinute"] = "3", ["ImportConcurrency"] = "1", ["ImportQueue"] = "0",
        }, migrate: false));

        var ledger = new Ledger();
        var world = await Setup(port, ledger);
        var openApi = OpenApiOperations.Load(OpenApiOperations.CommittedPath);
        var generator = new RequestGenerator(openApi, world, seed);
        var run = new Run(openApi, ledger, expectLimits: false);

        var indices = only ?? Enumerable.Range(0, count).ToArray();
        Print($"HTTP fuzz: seed {seed} (AGGREGATOR_FUZZ_SEED), {indices.Length:N0} requests (AGGREGATOR_FUZZ_REQUESTS) over {Connections} connections " +
              $"to {openApi.Operations.Count} operations, API on port {port}, database {database.Name}");
        var fuzzing = Stopwatch.StartNew();
        await run.SendAll(port, indices.Select(generator.Generate), Connections);
        fuzzing.Stop();

        // The limiter answers 429 problem+json with Retry-After, and stores nothing.
        var limiter = new Run(openApi, ledger, expectLimits: true);
        var limiting = Stopwatch.StartNew();
        await limited.WaitUntilReady(TimeSpan.FromSeconds(90));
        var limitedGenerator = new RequestGenerator(openApi, world with { Port = limiterPort }, seed);
        (string Operation, string? Key)[] mix =
        [
            ("ListAgencies", null), ("GetRollup", null), ("SubmitReport", world.AdminKey), ("RegisterAgency", world.RegionKey), ("ImportReport", world.RegionKey),
            ("ImportReport", null),
        ];
        await limiter.SendAll(limiterPort, Enumerable.Range(0, 96).Select(i => limitedGenerator.ValidRequest(count + i, mix[i % mix.Length].Operation, mix[i % mix.Length].Key)), 2);
        limited.Terminate();
        await limited.WaitForExit(TimeSpan.FromSeconds(30));
        limiting.Stop();

        var ready = await new HttpClient { Timeout = TimeSpan.FromSeconds(10) }.GetAsync($"http://127.0.0.1:{port}/health/ready");
        var peak = api.PeakWorkingSet;
        var differences = await ledger.CompareAsync(database.ConnectionString);
        var logged = Errors(api.Output);
        total.Stop();

        Print(run.Summary(fuzzing.Elapsed));
        Print($"Limiter phase: {limiter.Sent} requests in {limiting.Elapsed.TotalSeconds:0.0} s: {limiter.StatusLine()}");
        Print($"Acknowledged and found in the database: {ledger.Agencies} agencies, {ledger.Revisions} revisions, {ledger.Keys} keys issued, {ledger.Revoked} revoked; " +
              $"{(differences.Count == 0 ? "no difference" : $"{differences.Count} differences")}");
        Print($"After the run: /health/ready {(int)ready.StatusCode}; API peak working set {peak / (1024 * 1024)} MiB; {logged.Length} error lines in its log; " +
              $"whole test {total.Elapsed.TotalSeconds:0} s");

        var failures = new List<string>();
        failures.AddRange(run.Failures);
        failures.AddRange(limiter.Failures);
        failures.AddRange(limiter.LimiterFailures());
        failures.AddRange(differences.Select(d => "database: " + d));
        failures.AddRange(logged.Take(10).Select(l => "logged: " + l));
        if (only is null)
        {
            failures.AddRange(run.Uncovered().Select(o => $"coverage: no 2xx for {o} in the whole run"));
        }
        if (ready.StatusCode != System.Net.HttpStatusCode.OK)
        {
            failures.Add($"/health/ready answered {(int)ready.StatusCode} after the run");
        }
        if (peak > PeakMemoryAllowed)
        {
            failures.Add($"the API's peak working set was {peak / (1024 * 1024)} MiB");
        }
        if (failures.Count > 0)
        {
            Print($"FAILED (seed {seed}; reproduce with AGGREGATOR_FUZZ_SEED={seed} AGGREGATOR_FUZZ_ONLY=<request numbers>):\n" + string.Join("\n", failures.Take(40)));
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures, seed {seed}:\n" + string.Join("\n", failures.Take(40)));
    }

    /// <summary>The API's log entries at Error and Critical, each with the lines that follow it (message and stack).</summary>
    private static string[] Errors(string log)
    {
        var lines = log.Split('\n');
        return [.. lines.Select((line, i) => (line, i)).Where(l => l.line.StartsWith("fail:") || l.line.StartsWith("crit:"))
            .Select(l => string.Join("\n    ", lines.Skip(l.i).Take(8).TakeWhile((x, n) => n == 0 || x.StartsWith(' ')).Select(x => x.TrimEnd())))];
    }

    /// <summary>The seed alone makes the requests: the same seed and number give the same bytes, without the requests before it.</summary>
    [Fact]
    public void The_same_seed_makes_the_same_requests()
    {
        var seed = Setting("AGGREGATOR_FUZZ_SEED", DefaultSeed);
        var count = Math.Min(Setting("AGGREGATOR_FUZZ_REQUESTS", DefaultRequests), Setting("AGGREGATOR_FUZZ_GENERATE", 1_000));
        var openApi = OpenApiOperations.Load(OpenApiOperations.CommittedPath);
        var world = new FuzzWorld
        {
            Port = 1, AdminKey = ApiFactory.AdminKey, RegionKey = "agg_00000000000000000000000000000001_" + new string('a', 64),
            Agencies = [new("fuzz-0-654201", "654201", "transport", null), new("fuzz-1-350128", "350128", "government", "agg_00000000000000000000000000000002_" + new string('b', 64))],
            SpareKeys = [(Guid.Empty.ToString(), "agg_00000000000000000000000000000000_" + new string('c', 64))],
            Metrics = ["proactive.penalty.decisions", "applications.newlyReceived"], Sectors = ["transport", "government"], Divisions = ["654201", "350128"],
            LastYear = 2025, Documents2019 = [ReportFixtures.DocumentJson("wusu-transport-2020")], Documents2021 = [ReportFixtures.DocumentJson("pingtan-2021")],
            Published = [("wusu.txt", File.ReadAllBytes(Path.Combine(ReportFixtures.Folder, "wusu-transport-2020.txt")), "text/plain")],
        };
        var first = new RequestGenerator(openApi, world, seed);
        var again = new RequestGenerator(openApi, world, seed);
        var watch = Stopwatch.StartNew();
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            var request = first.Generate(i);
            bytes += request.Head.Length + request.Body.Length;
            if (i % 97 == 0)
            {
                var repeated = again.Generate(i);
                Assert.True(request.Head.AsSpan().SequenceEqual(repeated.Head) && request.Body.AsSpan().SequenceEqual(repeated.Body), $"request {i} differs");
            }
        }
        Print($"Generated {count:N0} requests of seed {seed} ({bytes / (1024.0 * 1024):0.0} MiB) in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    private static Dictionary<string, string> ApiSettings(string connectionString, Dictionary<string, string> limits, bool migrate = true)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Aggregator"] = connectionString,
            ["Aggregator__AdminApiKey"] = ApiFactory.AdminKey,
            ["Aggregator__MigrateOnStart"] = migrate ? "true" : "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in limits)
        {
            environment[$"Aggregator__RateLimits__{name}"] = value;
        }
        return environment;
    }

    /// <summary>
    /// Registers the agencies, issues the keys and submits the reports the requests are made of, through the API (each
    /// acknowledged write goes into the ledger like the run's), and reads the catalogues.
    /// </summary>
    private static async Task<FuzzWorld> Setup(int port, Ledger ledger)
    {
        await using var http = new RawHttp(port);
        var index = -1;
        async Task<JsonNode> Call(string method, string path, string? key, object? body, int expected)
        {
            var bytes = body switch
            {
                null => [],
                string text => Encoding.UTF8.GetBytes(text),
                _ => JsonSerializer.SerializeToUtf8Bytes(body, Http.Options),
            };
            List<KeyValuePair<string, string>> headers = [];
            if (key is not null)
            {
                headers.Add(new("X-Api-Key", key));
            }
            if (body is not null)
            {
                headers.Add(new("Content-Type", "application/json"));
            }
            var request = new FuzzRequest(index--, "setup", method, path, RawHttp.Head(method, path, port, headers, body is null ? null : bytes.Length), bytes, [], false);
            var response = await http.SendAsync(request, RequestTimeout);
            Assert.True(response.Status == expected, $"Setup {method} {path}: {response.Describe()}");
            Assert.Null(ledger.Record(request, response));
            return JsonNode.Parse(response.Body.Length == 0 ? "null" : response.Text)!;
        }
        var admin = ApiFactory.AdminKey;
        var metrics = (await Call("GET", "/api/v1/metrics", null, null, 200)).AsArray().Select(m => m!["code"]!.GetValue<string>()).ToArray();
        var sectors = (await Call("GET", "/api/v1/sectors", null, null, 200)).AsArray().Select(s => s!["code"]!.GetValue<string>()).ToArray();
        var tacheng = (await Call("GET", "/api/v1/divisions/654200", null, null, 200))["children"]!.AsArray().Select(d => d!["code"]!.GetValue<string>()).ToArray();
        string[] divisions = [.. tacheng.Take(3), "350128", "321322", "320800"];

        var region = (await Call("POST", "/api/v1/api-keys", admin, new { role = "region", division = "6542" }, 201))["key"]!.GetValue<string>();
        var agencies = new List<FuzzAgency>();
        for (var i = 0; i < divisions.Length; i++)
        {
            var code = $"fuzz-{i}-{divisions[i]}";
            await Call("POST", "/api/v1/agencies", i < 3 ? region : admin, new { code, name = $"模糊测试机关{i}", divisionCode = divisions[i], sector = sectors[i % sectors.Length] }, 201);
            string? bureau = null;
            if (i is 0 or 1 or 3)
            {
                bureau = (await Call("POST", "/api/v1/api-keys", i < 3 ? region : admin, new { role = "bureau", agency = code }, 201))["key"]!.GetValue<string>();
            }
            agencies.Add(new FuzzAgency(code, divisions[i], sectors[i % sectors.Length], bureau));
        }
        var spare = new List<(string, string)>();
        for (var i = 0; i < 20; i++)
        {
            object body = (i % 3) switch
            {
                0 => new { role = "bureau", agency = agencies[4].Code },
                1 => new { role = "region", division = "65" },
                _ => new { role = "admin" },
            };
            var issued = await Call("POST", "/api/v1/api-keys", admin, body, 201);
            spare.Add((issued["id"]!.GetValue<string>(), issued["key"]!.GetValue<string>()));
        }

        var wusu = ReportFixtures.DocumentJson("wusu-transport-2020");
        var pingtan = ReportFixtures.DocumentJson("pingtan-2021");
        await Call("PUT", $"/api/v1/agencies/{agencies[0].Code}/reports/2020", admin, wusu, 201);
        await Call("PUT", $"/api/v1/agencies/{agencies[0].Code}/reports/2021", admin, pingtan, 201);
        var corrected = JsonNode.Parse(pingtan)!;
        corrected["overview"] = "更正：" + corrected["overview"];
        await Call("PUT", $"/api/v1/agencies/{agencies[0].Code}/reports/2021", admin, corrected.ToJsonString(), 200);
        await Call("PUT", $"/api/v1/agencies/{agencies[3].Code}/reports/2022", admin, ReportFixtures.DocumentJson("shuyang-fgj-2023"), 201);

        var published = new List<(string, byte[], string)>();
        foreach (var file in Directory.GetFiles(ReportFixtures.Folder).Where(f => f.EndsWith(".txt") || f.EndsWith(".html")).Order())
        {
            published.Add((Path.GetFileName(file), File.ReadAllBytes(file), file.EndsWith(".html") ? "text/html" : "text/plain"));
        }
        return new FuzzWorld
        {
            Port = port, AdminKey = admin, RegionKey = region, Agencies = agencies, SpareKeys = spare, Metrics = metrics,
            Sectors = sectors, Divisions = divisions, LastYear = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Year - 1,
            Documents2019 = [wusu], Documents2021 = [pingtan, ReportFixtures.DocumentJson("shuyang-fgj-2023"), ReportFixtures.DocumentJson("huaian-szf-2024")],
            Published = published,
        };
    }

    /// <summary>Sends requests, judges each answer, feeds the ledger, and keeps the figures and the failures.</summary>
    private sealed class Run(OpenApiOperations openApi, Ledger ledger, bool expectLimits)
    {
        private readonly ConcurrentDictionary<int, int> byStatus = new();
        private readonly ConcurrentDictionary<(string Operation, int Status), int> byOperation = new();
        private readonly ConcurrentDictionary<string, int> undeclared = new();
        private readonly ConcurrentQueue<string> failures = new();
        private readonly ConcurrentQueue<(double Ms, string Request)> timings = new();
        private readonly ConcurrentDictionary<string, int> limited = new();
        private int sent;
        private int versionRefusals;
        private int closedPastLimits;
        private readonly ConcurrentDictionary<string, int> acceptedMutations = new();

        /// <summary>A mutation's kind, without its values: "number 1e308 at decisions" is "number", "80 extra headers" "N extra headers".</summary>
        private static string Kind(string mutation) =>
            string.Join(' ', mutation.Split(' ')
                .TakeWhile(w => w is not ("at" or "of" or "with") && !w.Any(c => c is '\'' or '"' or '=' or ':' or '%' or '/' or '{' or '['))
                .Select(w => w.All(c => char.IsDigit(c) || c == ',') ? "N" : w));

        private static bool PastKestrelLimits(FuzzRequest request)
        {
            var lineEnd = request.Head.AsSpan().IndexOf("\r\n"u8);
            return (lineEnd < 0 ? request.Head.Length : lineEnd) > RequestGenerator.KestrelRequestLine
                   || request.Head.Length > RequestGenerator.KestrelHeadersBytes + RequestGenerator.KestrelRequestLine;
        }
        private readonly ConcurrentDictionary<string, double> timeByOperation = new();
        private long bytesSent;

        public int Sent => sent;

        public IEnumerable<string> Failures => failures;

        public async Task SendAll(int port, IEnumerable<FuzzRequest> requests, int connections)
        {
            using var queue = new BlockingCollection<FuzzRequest>(boundedCapacity: connections * 2);
            var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
            {
                await using var http = new RawHttp(port);
                foreach (var request in queue.GetConsumingEnumerable())
                {
                    await Send(http, request);
                }
            })).ToArray();
            foreach (var request in requests)
            {
                queue.Add(request);
            }
            queue.CompleteAdding();
            await Task.WhenAll(workers);
        }

        private async Task Send(RawHttp http, FuzzRequest request)
        {
            Interlocked.Increment(ref sent);
            Interlocked.Add(ref bytesSent, request.Head.Length + request.Body.Length);
            FuzzResponse response;
            try
            {
                response = await http.SendAsync(request, RequestTimeout);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or FormatException)
            {
                if (PastKestrelLimits(request) && e is not OperationCanceledException)
                {
                    // Kestrel refuses such a head as soon as it passes the limit and closes the connection; the rest of the
                    // head, unread, makes the close a reset that can take its 414/431 with it. Nothing reached the API.
                    Interlocked.Increment(ref closedPastLimits);
                    return;
                }
                Fail(request, null, $"no answer ({e.GetType().Name}: {e.Message})");
                return;
            }
            byStatus.AddOrUpdate(response.Status, 1, (_, n) => n + 1);
            byOperation.AddOrUpdate((request.Operation, response.Status), 1, (_, n) => n + 1);
            timeByOperation.AddOrUpdate(request.Operation, response.Elapsed.TotalMilliseconds, (_, ms) => ms + response.Elapsed.TotalMilliseconds);
            timings.Enqueue((response.Elapsed.TotalMilliseconds, $"#{request.Index} {request.Operation} [{string.Join(", ", request.Mutations.DefaultIfEmpty("valid"))}]"));
            if (Judge(request, response) is { } problem)
            {
                Fail(request, response, problem);
            }
            if (ledger.Record(request, response) is { } unknown)
            {
                Fail(request, response, unknown);
            }
            if (openApi.Operations.FirstOrDefault(o => o.Id == request.Operation) is { } operation && !operation.Declared.Contains(response.Status)
                && request.SameOperation)
            {
                undeclared.AddOrUpdate($"{operation.Id} {response.Status}", 1, (_, n) => n + 1);
                Fail(request, response, $"{response.Status}, which {operation.Id} does not declare in the OpenAPI document");
            }
            // What a write took in spite of a mutation, for a reader to judge (a bulk request answers 200 whatever its lines: not counted).
            if (response.Status is >= 200 and < 300 && request.Mutations.Count > 0 && request.Operation != "SubmitReports"
                && !request.Method.Equals("GET", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var kind in request.Mutations.Select(Kind).Distinct())
                {
                    acceptedMutations.AddOrUpdate($"{request.Operation}: {kind}", 1, (_, n) => n + 1);
                }
            }
            if (response.Status == 429)
            {
                limited.AddOrUpdate(request.Operation + (request.Head.AsSpan().IndexOf("X-Api-Key"u8) >= 0 ? " with a key" : " without a key"), 1, (_, n) => n + 1);
            }
        }

        /// <summary>Why an answer is wrong, or null.</summary>
        private string? Judge(FuzzRequest request, FuzzResponse response)
        {
            var status = response.Status;
            if (status == 505 && request.Protocol && request.Mutations.Any(m => m.StartsWith("version ", StringComparison.Ordinal)))
            {
                // Kestrel's answer to a request line naming a version other than HTTP/1.0 or 1.1: about the client's
                // request, not a fault of the service. Counted apart.
                Interlocked.Increment(ref versionRefusals);
                return null;
            }
            if (status >= 500)
            {
                return $"{status}";
            }
            if (response.Elapsed > SlowestAllowed)
            {
                return $"took {response.Elapsed.TotalSeconds:0.0} s";
            }
            if (status == 429 && !expectLimits)
            {
                return "429 with the limits set high";
            }
            if (status is >= 400 and < 500)
            {
                var bare = response.BodyLength == 0 && response.MediaType is null;
                if (bare && !request.Protocol && request.Method != "HEAD")
                {
                    return $"{status} with no problem body";
                }
                if (!bare && request.Method != "HEAD")
                {
                    if (response.MediaType != "application/problem+json")
                    {
                        return $"{status} as {response.MediaType ?? "no content type"}, not application/problem+json";
                    }
                    try
                    {
                        using var problem = JsonDocument.Parse(response.Body);
                        if (!problem.RootElement.TryGetProperty("status", out var said) || said.GetInt32() != status)
                        {
                            return $"{status} whose problem says status {(problem.RootElement.TryGetProperty("status", out var s) ? s.ToString() : "nothing")}";
                        }
                    }
                    catch (JsonException e)
                    {
                        return $"{status} whose problem body is not JSON: {e.Message}";
                    }
                }
                if (status == 405 && string.IsNullOrWhiteSpace(response.Header("Allow")))
                {
                    return "405 without Allow";
                }
                if (status == 401 && string.IsNullOrWhiteSpace(response.Header("WWW-Authenticate")))
                {
                    return "401 without WWW-Authenticate";
                }
                if (status == 429 && !int.TryParse(response.Header("Retry-After"), out _))
                {
                    return "429 without Retry-After";
                }
            }
            return null;
        }

        private void Fail(FuzzRequest request, FuzzResponse? response, string problem)
        {
            if (failures.Count < 200)
            {
                failures.Enqueue($"{problem}\n  request {request.Describe()}\n  answer {response?.Describe() ?? "none"}");
            }
        }

        /// <summary>In the limiter phase: 429s met anonymous requests, keyed requests and imports.</summary>
        public IEnumerable<string> LimiterFailures()
        {
            foreach (var expected in new[] { "ListAgencies without a key", "SubmitReport with a key", "ImportReport with a key" })
            {
                if (!limited.ContainsKey(expected))
                {
                    yield return $"limiter phase: no 429 for {expected} ({StatusLine()})";
                }
            }
        }

        /// <summary>Operations that never answered 2xx: the run did not reach their handlers' success.</summary>
        public IEnumerable<string> Uncovered() =>
            openApi.Operations.Where(o => !byOperation.Keys.Any(k => k.Operation == o.Id && k.Status is >= 200 and < 300)).Select(o => o.Id);

        public string StatusLine() => string.Join(", ", byStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));

        public string Summary(TimeSpan elapsed)
        {
            var text = new StringBuilder();
            text.AppendLine($"Sent {sent:N0} requests ({bytesSent / (1024.0 * 1024):0.0} MiB) in {elapsed.TotalSeconds:0.0} s ({sent / elapsed.TotalSeconds:0} req/s); " +
                            $"{failures.Count} failures");
            text.AppendLine($"By status: {StatusLine()}");
            if (closedPastLimits > 0)
            {
                text.AppendLine($"And {closedPastLimits} requests past Kestrel's request line or header limits whose connection was closed without a readable answer");
            }
            if (versionRefusals > 0)
            {
                text.AppendLine($"Of them {versionRefusals} × 505 from Kestrel to a request line naming an HTTP version it does not speak (not counted as a fault)");
            }
            text.AppendLine("By operation (status: count; time spent waiting for its answers):");
            foreach (var operation in byOperation.GroupBy(k => k.Key.Operation).OrderBy(g => g.Key))
            {
                text.AppendLine($"  {operation.Key,-16} {string.Join(", ", operation.OrderBy(k => k.Key.Status).Select(k => $"{k.Key.Status}: {k.Value}"))}; " +
                                $"{timeByOperation.GetValueOrDefault(operation.Key) / 1000:0.0} s");
            }
            if (!undeclared.IsEmpty)
            {
                text.AppendLine($"Requests to an operation answered with a status the OpenAPI document does not list for it: {string.Join(", ", undeclared.OrderBy(u => u.Key).Select(u => $"{u.Key} ×{u.Value}"))}");
            }
            text.AppendLine("Mutated writes answered 2xx, most frequent kinds: " +
                            string.Join(", ", acceptedMutations.OrderByDescending(a => a.Value).ThenBy(a => a.Key).Take(12).Select(a => $"{a.Key} ×{a.Value}")));
            text.Append("Slowest: " + string.Join("; ", timings.OrderByDescending(t => t.Ms).Take(5).Select(t => $"{t.Ms:0} ms {t.Request}")));
            return text.ToString();
        }
    }
}
