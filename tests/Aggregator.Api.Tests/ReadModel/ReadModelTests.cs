using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Aggregator.Api.Data.ReadModel;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;
using Aggregator.Tests;
using Npgsql;

namespace Aggregator.Api.Tests.ReadModel;

/// <summary>
/// The rollup read model: what the folds build incrementally equals a rebuild from the fact tables, a submission shows
/// in rollups at once, and the report tables are keyed for distribution by agency. On a database of its own, since it
/// compares whole tables.
/// </summary>
public sealed class ReadModelTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly string[] Divisions = ["654202", "654201", "652902", "350128", "110101", "429004", "320800", "650000"];
    private static readonly string[] Sectors = ["transport", "government", "education"];

    [Fact]
    public async Task Incremental_folds_equal_a_rebuild_after_random_submissions_and_corrections()
    {
        var random = new Random(20261201);
        var admin = api.Admin();
        var agencies = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var code = Http.Unique("rm");
            var response = await admin.PostAsJsonAsync("/api/v1/agencies", new
            {
                code, name = $"测试机关 {i}", divisionCode = Divisions[i % Divisions.Length], sector = Sectors[i % Sectors.Length],
                activeFrom = i % 5 == 0 ? 2021 : (int?)null, activeTo = i % 7 == 0 ? 2023 : (int?)null,
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            agencies.Add(code);
        }
        for (var i = 0; i < 60; i++)
        {
            var year = random.Next(2019, 2026);
            var response = await admin.PutReport(agencies[random.Next(agencies.Count)], year, ReportFixtures.RandomDocument(random, year));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            if (i % 20 == 0)
            {
                await Fold();
            }
        }

        await Fold();
        var incremental = await Snapshot();
        await using (var connection = await Open())
        {
            await RollupProjection.RebuildAsync(connection, CancellationToken.None);
        }
        var rebuilt = await Snapshot();

        Assert.NotEmpty(rebuilt);
        Assert.Equal(rebuilt, incremental);
    }

    [Fact]
    public async Task The_rebuild_command_rebuilds_the_configured_database_and_exits()
    {
        var agency = Http.Unique("cmd");
        await api.Admin().RegisterAgency(agency, "654202", "transport");
        await api.Admin().PutReport(agency, 2020, ReportFixtures.RandomDocument(new Random(3), 2020));

        await using var process = ApiProcess.Start(ApiProcess.FreePort(), "Production",
            new Dictionary<string, string> { ["ConnectionStrings__Aggregator"] = api.ConnectionString }, command: "rebuild-rollups");
        var exit = await process.WaitForExit(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, process.Output + string.Join("\n", process.ErrorLines));
        Assert.Matches(@"Rebuilt in [0-9.]+ s: [1-9][0-9]* groups", process.Output);
    }

    [Fact]
    public async Task A_submission_shows_in_rollups_at_once_and_after_it_is_folded()
    {
        var agency = Http.Unique("fresh");
        await api.Admin().RegisterAgency(agency, "654201", "transport");
        var document = ReportFixtures.RandomDocument(new Random(7), 2022);
        const string metric = "proactive.penalty.decisions";
        var url = $"/api/v1/rollups?metric={metric}&groupBy=county,year&division=654201&yearFrom=2022&yearTo=2022";
        var before = await Value(url, metric);

        document.Set(metric, null, 1_234_567);
        var clock = Stopwatch.StartNew();
        Assert.True((await api.Admin().PutReport(agency, 2022, document)).IsSuccessStatusCode);
        var seen = await Value(url, metric);
        var elapsed = clock.Elapsed;
        await Fold();
        var folded = await Value(url, metric);

        Assert.Equal((before ?? 0) + 1_234_567, seen);
        Assert.Equal(seen, folded);
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"seen after {elapsed}");
    }

    [Fact]
    public async Task An_answer_by_year_after_a_correction_in_one_year_equals_one_computed_afresh()
    {
        var random = new Random(31);
        var agencies = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var code = Http.Unique("years");
            await api.Admin().RegisterAgency(code, Divisions[i], Sectors[i]);
            agencies.Add(code);
            foreach (var year in new[] { 2020, 2021, 2022 })
            {
                Assert.True((await api.Admin().PutReport(code, year, ReportFixtures.RandomDocument(random, year))).IsSuccessStatusCode);
            }
        }
        const string url = "/api/v1/rollups?metric=proactive.penalty.decisions,applications.newlyReceived&groupBy=province,year";
        var before = await Rows(url);

        // A correction to 2021 only: the answer, put together from the kept years and 2021 computed again, must equal
        // the same rollup asked under another key (so computed whole, with nothing kept).
        var corrected = ReportFixtures.RandomDocument(random, 2021);
        corrected.Set("proactive.penalty.decisions", null, 424_242);
        Assert.True((await api.Admin().PutReport(agencies[1], 2021, corrected)).IsSuccessStatusCode);
        var after = await Rows(url);
        var afresh = await Rows(url + "&yearFrom=2019");

        Assert.NotEqual(before, after);
        Assert.Equal(afresh, after);
        Assert.Equal(before.Where(r => !r.Contains("\"year\":2021")), after.Where(r => !r.Contains("\"year\":2021")));
    }

    [Fact]
    public async Task A_repeat_or_a_revalidation_on_unchanged_data_does_not_touch_the_database()
    {
        var agency = Http.Unique("cache");
        await api.Admin().RegisterAgency(agency, "652902", "transport");
        await api.Admin().PutReport(agency, 2021, ReportFixtures.RandomDocument(new Random(11), 2021));
        const string url = "/api/v1/rollups?metric=proactive.penalty.decisions&groupBy=prefecture,year";
        var database = new NpgsqlConnectionStringBuilder(api.ConnectionString).Database!;
        var statements = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var tags = activity.TagObjects.ToDictionary(t => t.Key, t => t.Value?.ToString());
                var text = tags.GetValueOrDefault("db.query.text") ?? tags.GetValueOrDefault("db.statement");
                // The rollup queries read rollup_agencies; the folder, at work in the background, writes it.
                if ((tags.GetValueOrDefault("db.namespace") ?? tags.GetValueOrDefault("db.name")) == database && text?.Contains("rollup_agencies") == true
                    && !text.Contains("INSERT INTO rollup_agencies"))
                {
                    statements.Enqueue(text);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var first = await api.Anonymous().GetAsync(url);
        var computed = statements.Count;
        var repeat = await api.Anonymous().GetAsync(url);
        var revalidated = await api.Anonymous().SendAsync(new HttpRequestMessage(HttpMethod.Get, url) { Headers = { IfNoneMatch = { first.Headers.ETag! } } });

        Assert.True(computed > 0, "the first answer was computed from the database");
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await repeat.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Equal(computed, statements.Count);
    }

    [Fact]
    public async Task Every_key_of_the_report_tables_holds_the_agency()
    {
        await using var connection = await Open();
        await using var command = new NpgsqlCommand("""
            SELECT tc.table_name, tc.constraint_name, tc.constraint_type, array_agg(k.column_name::text ORDER BY k.ordinal_position)
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name
            WHERE tc.table_name IN ('reports', 'revisions', 'report_cells') AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
            GROUP BY 1, 2, 3
            """, connection);
        var keys = new List<(string Table, string Name, string Type, string[] Columns)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3)));
            }
        }

        Assert.Equal(["report_cells", "reports", "revisions"], keys.Where(k => k.Type == "PRIMARY KEY").Select(k => k.Table).Order());
        Assert.All(keys, key => Assert.True(key.Columns.Contains("agency_id"), $"{key.Table}.{key.Name} ({key.Type}) lacks agency_id: {string.Join(", ", key.Columns)}"));
        Assert.All(keys.Where(k => k.Type == "PRIMARY KEY"), key => Assert.Contains("year", key.Columns));
        // Report tables reference one another only on keys that hold the agency, so shards by agency are self-contained.
        await using var outward = new NpgsqlCommand("""
            SELECT count(*) FROM information_schema.referential_constraints rc
            JOIN information_schema.table_constraints child ON child.constraint_name = rc.constraint_name
            JOIN information_schema.table_constraints parent ON parent.constraint_name = rc.unique_constraint_name
            WHERE parent.table_name IN ('reports', 'revisions', 'report_cells') AND child.table_name NOT IN ('reports', 'revisions', 'report_cells')
            """, connection);
        Assert.Equal(0L, (long)(await outward.ExecuteScalarAsync())!);
    }

    private async Task<decimal?> Value(string url, string metric)
    {
        var rows = (await (await api.Anonymous().GetAsync(url)).Json())["rows"]!.AsArray();
        return rows.Count == 0 ? null : rows.Single()!["values"]![metric]?.GetValue<decimal>();
    }

    private async Task<string[]> Rows(string url) =>
        (await (await api.Anonymous().GetAsync(url)).Json())["rows"]!.AsArray().Select(r => r!.ToJsonString()).ToArray();

    private async Task<NpgsqlConnection> Open()
    {
        var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task Fold()
    {
        await using var connection = await Open();
        await ReadModelTables.FoldAsync(connection);
    }

    private async Task<List<string>> Snapshot()
    {
        await using var connection = await Open();
        return await ReadModelTables.SnapshotAsync(connection);
    }
}
