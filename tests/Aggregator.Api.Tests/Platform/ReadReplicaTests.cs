using System.Diagnostics;
using System.Net;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;
using Aggregator.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Npgsql;
using OpenTelemetry.Trace;

namespace Aggregator.Api.Tests.Platform;

/// <summary>
/// The API on a primary and a streaming standby of it (<c>ConnectionStrings:AggregatorRead</c>), both real servers
/// from the machine's binaries: rollups, completeness, lists and exports are read on the standby — the database calls under their
/// query spans go to its port, and it is in recovery — while writes go to the primary; a rollup right after each
/// correction already holds it (the standby has caught up before a kept answer is made), equal to sums computed from
/// the documents sent; a standby that stops replaying has the primary answer instead (never a stale kept answer); and
/// a PUT followed by a GET of that report sees the new revision at once.
/// </summary>
public sealed class ReadReplicaTests : IAsyncLifetime
{
    private const string Rollup = "/api/v1/rollups?metric=proactive.penalty.decisions&groupBy=prefecture,year";

    private readonly List<Activity> spans = [];
    private readonly TraceTags traces = new();
    private StreamingStandby? cluster;

    public async Task InitializeAsync() => cluster = await StreamingStandby.StartAsync();

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Rollups_are_read_on_the_standby_and_hold_each_correction_at_once_and_a_submitter_reads_its_new_revision_from_the_primary()
    {
        Assert.True(await StreamingStandby.InRecoveryAsync(cluster!.StandbyConnectionString));
        Assert.False(await StreamingStandby.InRecoveryAsync(cluster.PrimaryConnectionString));
        var standbyPort = new NpgsqlConnectionStringBuilder(cluster.StandbyConnectionString).Port;
        var primaryPort = new NpgsqlConnectionStringBuilder(cluster.PrimaryConnectionString).Port;
        await using var api = new ApiOnDatabase(cluster.PrimaryConnectionString, migrate: true, builder =>
        {
            builder.UseSetting("ConnectionStrings:AggregatorRead", cluster.StandbyConnectionString);
            builder.UseSetting("Aggregator:ReadReplica:MaxWait", "00:00:00.500");
            builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        });
        var admin = api.Client(ApiFactory.AdminKey, traces);

        var documents = new Dictionary<string, (string Prefecture, ReportDocument Document)>();
        foreach (var (agency, division) in new[] { ("rr-wusu", "654202"), ("rr-tacheng", "654201"), ("rr-huaian", "320800") })
        {
            await admin.RegisterAgency(agency, division, "transport");
            var document = ReportFixtures.Document("pingtan-2021");
            Assert.Equal(HttpStatusCode.Created, (await admin.PutReport(agency, 2021, document)).StatusCode);
            documents[agency] = (division[..4] + "00", document);
        }

        for (var revision = 2; revision <= 8; revision++)
        {
            var (_, corrected) = documents["rr-wusu"];
            corrected.Set("proactive.penalty.decisions", null, (corrected.Get("proactive.penalty.decisions") ?? 0) + revision);
            Assert.Equal(HttpStatusCode.OK, (await admin.PutReport("rr-wusu", 2021, corrected)).StatusCode);

            var report = await (await admin.GetAsync("/api/v1/agencies/rr-wusu/reports/2021")).Json();
            Assert.Equal(revision, report["revision"]!.GetValue<int>());

            var rows = (await (await admin.GetAsync(Rollup)).Json())["rows"]!.AsArray();
            foreach (var prefecture in documents.Values.Select(d => d.Prefecture).Distinct())
            {
                var expected = documents.Values.Where(d => d.Prefecture == prefecture).Sum(d => d.Document.Get("proactive.penalty.decisions") ?? 0);
                var row = rows.Single(r => r!["prefecture"]!.GetValue<string>() == prefecture && r["year"]!.GetValue<int>() == 2021)!;
                Assert.Equal(expected, row["values"]!["proactive.penalty.decisions"]!.GetValue<decimal>());
            }
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/completeness?year=2021&division=65")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/reports?division=65")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/cells?division=6542&year=2021")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/agencies?division=65")).StatusCode);

        // Rollups read the standby; one that finds it more than MaxWait behind (a busy machine) reads the primary instead.
        var rollupCalls = await CallsUnder("GetRollup");
        Assert.Contains(standbyPort, rollupCalls);
        Assert.All(rollupCalls, port => Assert.Contains(port, new[] { standbyPort, primaryPort }));
        foreach (var query in new[] { "GetCompleteness", "ListReports", "ExportCells", "ListAgencies" })
        {
            var calls = await CallsUnder(query);
            Assert.NotEmpty(calls);
            Assert.True(calls.All(port => port == standbyPort), $"{query}: {string.Join(",", calls)}");
        }
        Assert.All(await CallsUnder("SubmitReport"), port => Assert.Equal(primaryPort, port));
        Assert.All(await CallsUnder("GetReport"), port => Assert.Equal(primaryPort, port));

        // The test servers run with synchronous_commit off: a commit is visible on the primary before the WAL writer
        // writes its record out (and only flushed WAL is streamed). With the writer held, the rollup right after a
        // correction must still hold it. CI on a loaded machine once read the standby without the correction just
        // made, when the service waited for the primary's write position: nothing had been written since what the
        // standby had replayed, so it did not wait. (That window is narrower than this one and not forced here.)
        var walWriter = await Scalar<int>(cluster.PrimaryConnectionString, "SELECT pid FROM pg_stat_activity WHERE backend_type = 'walwriter'");
        Signal("STOP", walWriter);
        try
        {
            var (held, unwritten) = documents["rr-tacheng"];
            unwritten.Set("proactive.penalty.decisions", null, (unwritten.Get("proactive.penalty.decisions") ?? 0) + 100);
            Assert.Equal(HttpStatusCode.OK, (await admin.PutReport("rr-tacheng", 2021, unwritten)).StatusCode);
            var afterUnwritten = (await (await admin.GetAsync(Rollup)).Json())["rows"]!.AsArray()
                .Single(r => r!["prefecture"]!.GetValue<string>() == held && r["year"]!.GetValue<int>() == 2021)!;
            var expectedUnwritten = documents.Values.Where(d => d.Prefecture == held).Sum(d => d.Document.Get("proactive.penalty.decisions") ?? 0);
            Assert.Equal(expectedUnwritten, afterUnwritten["values"]!["proactive.penalty.decisions"]!.GetValue<decimal>());
        }
        finally
        {
            Signal("CONT", walWriter);
        }

        // A standby that stops replaying: the next correction's rollup is answered by the primary, not kept stale.
        await Execute(cluster.StandbyConnectionString, "SELECT pg_wal_replay_pause()");
        var seen = spans.Count;
        var (wusu, paused) = documents["rr-wusu"];
        paused.Set("proactive.penalty.decisions", null, (paused.Get("proactive.penalty.decisions") ?? 0) + 1000);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutReport("rr-wusu", 2021, paused)).StatusCode);
        var answer = (await (await admin.GetAsync(Rollup)).Json())["rows"]!.AsArray()
            .Single(r => r!["prefecture"]!.GetValue<string>() == wusu && r["year"]!.GetValue<int>() == 2021)!;
        var expectedNow = documents.Values.Where(d => d.Prefecture == wusu).Sum(d => d.Document.Get("proactive.penalty.decisions") ?? 0);
        Assert.Equal(expectedNow, answer["values"]!["proactive.penalty.decisions"]!.GetValue<decimal>());
        Assert.Contains(primaryPort, await CallsUnder("GetRollup", seen));
        await Execute(cluster.StandbyConnectionString, "SELECT pg_wal_replay_resume()");
    }

    private static async Task<T> Scalar<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", $"-{signal} {pid}");
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static async Task Execute(string connectionString, string sql) => await Scalar<object?>(connectionString, sql);

    /// <summary>The server ports of the database calls under every span of a command or query (the primary's LSN query included).</summary>
    /// <param name="from">Only spans ended after this many had.</param>
    private async Task<List<int>> CallsUnder(string message, int from = 0)
    {
        await Task.Delay(200); // spans end a moment after their answers
        var ended = spans.ToArray()[from..].Where(traces.Holds).ToArray(); // a copy (the exporter adds as spans end), of this test's traces
        var parents = ended.Where(s => s.Source.Name == "Aggregator" && s.DisplayName == message).Select(s => s.SpanId).ToHashSet();
        Assert.NotEmpty(parents);
        return ended.Where(s => s.Source.Name == "Npgsql" && parents.Contains(s.ParentSpanId) && !IsPrimaryPosition(s))
            .Select(s => Convert.ToInt32(s.GetTagItem("server.port") ?? s.GetTagItem("net.peer.port"), System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
    }

    /// <summary>The one call a standby read makes to the primary: how far its WAL is, to wait for the standby to get there.</summary>
    private static bool IsPrimaryPosition(Activity span) =>
        (span.GetTagItem("db.query.text") ?? span.GetTagItem("db.statement"))?.ToString()?.Contains("pg_current_wal_insert_lsn") == true;
}
