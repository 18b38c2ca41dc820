using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Api.Data;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace Aggregator.Api.Tests.Platform;

/// <summary>
/// Cursor (keyset) paging against a few hundred agencies' reports (~60,000 cells, loaded through the bulk path): a walk
/// by cursor sees every item once, in order, also while rows are added; a cursor that is not this query's is a 400
/// naming it; and a page deep in the list reads as few rows as the first (the plan PostgreSQL runs for the query the
/// API issued, with the rows it read — no timing). The class has a database of its own.
/// </summary>
public sealed class CursorPagingTests(ApiFactory api, ITestOutputHelper output) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private const string Sector = "culture-tourism";
    private const int Agencies = 300;
    private static readonly string[] Divisions = ["654202", "654201", "320812", "350128", "110105", "321322"];

    private static readonly SemaphoreSlim Seeding = new(1, 1);
    private static readonly List<string> Seeded = [];

    public async Task InitializeAsync()
    {
        await Seeding.WaitAsync();
        try
        {
            if (Seeded.Count == 0)
            {
                await Seed();
            }
        }
        finally
        {
            Seeding.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>300 agencies, each with a 2022 report (2021 edition, 207 cells), one in three also 2021; codes in random order against ids.</summary>
    private async Task Seed()
    {
        var random = new Random(10);
        var admin = api.Admin();
        var lines = new StringBuilder();
        for (var i = 0; i < Agencies; i++)
        {
            var code = Http.Unique("cp");
            await admin.RegisterAgency(code, Divisions[i % Divisions.Length], Sector);
            Seeded.Add(code);
            foreach (var year in i % 3 == 0 ? new[] { 2021, 2022 } : [2022])
            {
                var document = new ReportDocument(Edition.Edition2021);
                foreach (var cell in document.Fields)
                {
                    document.Set(cell.Metric, cell.Applicant, random.NextDouble() < 0.2 ? null : random.Next(0, 50));
                }
                lines.Append(CultureInfo.InvariantCulture,
                    $"{{\"agency\":\"{code}\",\"year\":{year},\"document\":{Encoding.UTF8.GetString(ReportDocumentJson.Serialize(document))}}}\n");
            }
        }
        var response = await admin.PostAsync("/api/v1/reports/bulk", new StringContent(lines.ToString(), Encoding.UTF8, "application/x-ndjson"));
        var outcomes = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(outcomes, line => Assert.Equal(201, JsonNode.Parse(line)!["status"]!.GetValue<int>()));
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand("ANALYZE", connection).ExecuteNonQueryAsync(); // what autovacuum would do after a load
    }

    private static string Key(JsonNode item) => $"{item["agency"]}/{item["year"]}";

    private async Task<string[]> CsvKeys(string url) =>
        (await CsvBody.Read(await api.Anonymous().GetAsync(url + "&format=csv"))).Records.Select(r => $"{r["agency"]}/{r["year"]}").ToArray();

    [Fact]
    public async Task Every_agency_and_report_once_in_order_equal_to_a_direct_read()
    {
        var agencies = await PagingTests.WalkByCursor(api.Anonymous(), $"/api/v1/agencies?sector={Sector}", 7);
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        var direct = new List<string>();
        await using (var reader = await new NpgsqlCommand($"SELECT code FROM agencies WHERE sector = '{Sector}' ORDER BY code", connection).ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                direct.Add(reader.GetString(0));
            }
        }
        Assert.True(direct.Count >= Agencies);
        Assert.Equal(direct, agencies.Select(a => a["code"]!.GetValue<string>()));

        var reports = await PagingTests.WalkByCursor(api.Anonymous(), $"/api/v1/reports?sector={Sector}&division=65", 6);
        Assert.Equal(await CsvKeys($"/api/v1/reports?sector={Sector}&division=65"), reports.Select(Key));
        Assert.Equal(reports.Count, reports.Select(Key).Distinct().Count());
    }

    [Fact]
    public async Task Rows_added_while_walking_neither_repeat_nor_skip_what_the_walk_had_not_passed()
    {
        const string division = "320812";
        var url = $"/api/v1/reports?sector={Sector}&division={division}";
        var before = await CsvKeys(url);
        var client = api.Anonymous();
        var first = await (await client.GetAsync($"{url}&pageSize=5")).Json();
        var byNumber = await (await client.GetAsync($"{url}&page=1&pageSize=5")).Json();
        var seen = first["items"]!.AsArray().Select(i => Key(i!)).ToList();
        var seenByNumber = byNumber["items"]!.AsArray().Select(i => Key(i!)).ToList();

        // Behind the walk (a code before every other) and ahead of it (after every other), same division and sector.
        var behind = $"0000-{Guid.NewGuid():N}"[..18];
        var ahead = $"zzzz-{Guid.NewGuid():N}"[..18];
        foreach (var code in new[] { behind, ahead })
        {
            await api.Admin().RegisterAgency(code, division, Sector);
            Assert.Equal(HttpStatusCode.Created, (await api.Admin().PutReport(code, 2022, new ReportDocument(Edition.Edition2021))).StatusCode);
        }

        var next = first["next"]!.GetValue<string>();
        while (next is not null)
        {
            var page = await (await client.GetAsync($"{url}&pageSize=5&cursor={next}")).Json();
            seen.AddRange(page["items"]!.AsArray().Select(i => Key(i!)));
            next = page["next"]?.GetValue<string>();
        }
        Assert.Equal([.. before, $"{ahead}/2022"], seen);

        // By number the same insert moves every item one place on: the last item of page 1 comes again on page 2.
        var second = await (await client.GetAsync($"{url}&page=2&pageSize=5")).Json();
        Assert.Equal(seenByNumber[^1], Key(second["items"]![0]!));
    }

    [Fact]
    public async Task The_audit_walked_newest_first_while_writes_go_on_is_what_was_there_when_the_walk_began()
    {
        var admin = api.Admin();
        var first = await (await admin.GetAsync("/api/v1/audit?pageSize=50")).Json();
        var seen = first["items"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()).ToList();
        var next = first["next"]?.GetValue<string>();
        while (next is not null)
        {
            await admin.RegisterAgency(Http.Unique("aw"), "110105", "education"); // a write, and its audit record, between pages
            var page = await (await admin.GetAsync($"/api/v1/audit?pageSize=50&cursor={next}")).Json();
            seen.AddRange(page["items"]!.AsArray().Select(e => e!["id"]!.GetValue<long>()));
            next = page["next"]?.GetValue<string>();
        }

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        var direct = new List<long>();
        await using var reader = await new NpgsqlCommand($"SELECT id FROM audit_events WHERE id <= {seen[0]} ORDER BY id DESC", connection).ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            direct.Add(reader.GetInt64(0));
        }
        Assert.True(seen.Count > 50, "The walk should take several pages.");
        Assert.Equal(direct, seen);
    }

    public static TheoryData<string, string> BadCursors => new()
    {
        { "garbage", "not a cursor!" },
        { "cut short", "CUT" },
        { "one character changed", "CHANGED" },
        { "another version", "VERSION" },
        { "a NUL in its agency code", "NUL" },
        { "too long", new string('A', 600) },
        { "of another filter", "FOREIGN-YEAR" },
        { "of another metric", "FOREIGN-METRIC" },
        { "of another list", "FOREIGN-LIST" },
        { "with page", "WITH-PAGE" },
    };

    [Theory]
    [MemberData(nameof(BadCursors))]
    public async Task A_cursor_that_is_not_this_querys_is_400_naming_cursor(string what, string cursor)
    {
        const string query = $"sector={Sector}&year=2022&metric=applications.granted";
        var good = (await (await api.Anonymous().GetAsync($"/api/v1/cells?{query}&pageSize=10")).Json())["next"]!.GetValue<string>();
        var url = cursor switch
        {
            "CUT" => $"/api/v1/cells?{query}&cursor={good[..^3]}",
            "CHANGED" => $"/api/v1/cells?{query}&cursor={good[..20]}{(good[20] == 'A' ? 'B' : 'A')}{good[21..]}",
            "VERSION" => $"/api/v1/cells?{query}&cursor={Reversioned(good)}",
            "NUL" => $"/api/v1/cells?{query}&cursor={WithCode(good, "cp\0")}",
            "FOREIGN-YEAR" => $"/api/v1/cells?sector={Sector}&year=2021&metric=applications.granted&cursor={good}",
            "FOREIGN-METRIC" => $"/api/v1/cells?sector={Sector}&year=2022&metric=applications.granted,proactive.penalty.decisions&cursor={good}",
            "FOREIGN-LIST" => $"/api/v1/cells?{query}&cursor=" +
                              (await (await api.Anonymous().GetAsync($"/api/v1/reports?{query[..^"&metric=applications.granted".Length]}&pageSize=1")).Json())["next"],
            "WITH-PAGE" => $"/api/v1/cells?{query}&page=2&cursor={good}",
            _ => $"/api/v1/cells?{query}&cursor={Uri.EscapeDataString(cursor)}",
        };

        if (cursor == "NUL")
        {
            // The same made-up cursor with a plain code is taken: what is refused is the NUL.
            Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync($"/api/v1/cells?{query}&cursor={WithCode(good, "cp-0")}")).StatusCode);
        }
        var problem = await (await api.Anonymous().GetAsync(url)).Problem(HttpStatusCode.BadRequest);

        Assert.True(problem.ErrorKeys().SequenceEqual(new[] { "cursor" }), $"{what}: {problem}");
        var message = problem["errors"]!["cursor"]![0]!.GetValue<string>();
        Assert.Contains(what switch
        {
            "with page" => "not both",
            "of another filter" or "of another metric" or "of another list" => "another query",
            _ => "does not decode",
        }, message);
    }

    /// <summary>
    /// A cursor as a client could make one, well-formed and checked, of this query (the fingerprint of <paramref name="cursor"/>),
    /// holding <paramref name="code"/> as the agency code: the check is not a signature, so the key itself is checked.
    /// </summary>
    private static string WithCode(string cursor, string code)
    {
        var bytes = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(cursor);
        var utf8 = Encoding.UTF8.GetBytes(code);
        byte[] body = [.. bytes[..9], (byte)(utf8.Length >> 8), (byte)utf8.Length, .. utf8, 0, 0, 0x07, 0xE6, 0, 1, 0, 6];
        return Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode([.. body, .. System.Security.Cryptography.SHA256.HashData(body)[..4]]);
    }

    /// <summary>The cursor with its version byte changed and its check made anew: a well-formed cursor of a version this API does not read.</summary>
    private static string Reversioned(string cursor)
    {
        var bytes = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(cursor);
        bytes[0] = 2;
        var body = bytes[..^4];
        return Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode([.. body, .. System.Security.Cryptography.SHA256.HashData(body)[..4]]);
    }

    [Fact]
    public async Task A_cursor_goes_with_the_same_filters_however_they_are_written_and_an_empty_one_is_the_start()
    {
        var client = api.Anonymous();
        var first = await (await client.GetAsync($"/api/v1/cells?sector={Sector}&metric=applications.granted,proactive.penalty.decisions&pageSize=10")).Json();
        var cursor = first["next"]!.GetValue<string>();

        var reordered = await client.GetAsync($"/api/v1/cells?metric=proactive.penalty.decisions&metric=applications.granted&sector={Sector}&pageSize=10&cursor={cursor}");
        Assert.Equal(HttpStatusCode.OK, reordered.StatusCode);
        var empty = await (await client.GetAsync($"/api/v1/cells?sector={Sector}&metric=applications.granted,proactive.penalty.decisions&pageSize=10&cursor=")).Json();
        Assert.Equal(first["items"]!.ToJsonString(), empty["items"]!.ToJsonString());
        var twice = await client.GetAsync($"/api/v1/cells?sector={Sector}&cursor={cursor}&cursor={cursor}");
        Assert.Equal(["cursor"], (await twice.Problem(HttpStatusCode.BadRequest)).ErrorKeys());
    }

    /// <summary>
    /// The regression test of "GET /cells?page=2101 costs over a second". Without timing: the query the API issued for a
    /// page is run again under <c>EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)</c> with its parameters, and the plan says what
    /// PostgreSQL read. A page by cursor halfway and one near the end each read about what the first page reads (the
    /// agencies' code index from the cursor's code on, each agency's cells by their key, stopped by the LIMIT: no sort of
    /// every cell, no OFFSET), while the same page by number reads every cell before it.
    /// </summary>
    [Fact]
    public async Task A_deep_page_by_cursor_reads_as_few_rows_as_the_first_page()
    {
        var capture = new CommandCapture("-- ExportCells");
        await using var traced = api.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.ConfigureDbContext<AggregatorDbContext>(options => options.AddInterceptors(capture))));
        var client = traced.CreateClient();
        const int pageSize = 100;
        var url = $"/api/v1/cells?sector={Sector}&pageSize={pageSize}";
        var total = (await (await client.GetAsync($"{url}&page=1")).Json())["total"]!.GetValue<int>();
        var deep = total / pageSize - 2; // the page before the last but one
        Assert.True(deep > 500, $"Only {total} cells.");

        var firstPage = await Explain(capture, client, url);
        var middle = deep / 2;
        var middlePage = await Explain(capture, client, $"{url}&cursor={await CursorBefore(client, url, middle)}");
        var deepPage = await Explain(capture, client, $"{url}&cursor={await CursorBefore(client, url, deep)}");
        var byNumber = await Explain(capture, client, $"{url}&page={deep}");
        output.WriteLine($"rows read ({total} cells): first page {firstPage.RowsRead}; by cursor page {middle} {middlePage.RowsRead}, " +
                         $"page {deep} {deepPage.RowsRead}; by number page {deep} {byNumber.RowsRead}");

        foreach (var (name, plan) in new[] { ("first", firstPage), ("middle", middlePage), ("deep", deepPage) })
        {
            Assert.True(plan.Nodes.Any(n => n.Type == "Limit" && n.Rows <= pageSize + 1), $"{name}: no LIMIT of one page\n{plan.Json}");
            // No reading of every cell or agency, and no sort of more than a page (small tables, reports and revisions here,
            // may be read whole: at this size the planner rightly prefers that to an index).
            Assert.False(plan.Nodes.Any(n => n.Type == "Seq Scan" && n.Relation is "report_cells" or "agencies" || n.Type == "Sort" && n.Rows > pageSize + 1),
                $"{name}: a scan of every cell or agency, or a sort of more than a page\n{plan.Json}");
            Assert.True(plan.Nodes.Any(n => n.Index == "ix_agencies_code") && plan.Nodes.Any(n => n.Index == "pk_report_cells"),
                $"{name}: agencies not by their code index, or cells not by their key\n{plan.Json}");
            // A page, plus the cells of the agencies it touches (up to two reports of 207 cells each) and the rows that join them.
            Assert.True(plan.RowsRead < 3_000, $"{name}: {plan.RowsRead} rows read\n{plan.Json}");
        }
        foreach (var plan in new[] { middlePage, deepPage })
        {
            Assert.Matches(@"code\)?(::\w+)? >= ", plan.Nodes.First(n => n.Index == "ix_agencies_code").IndexCond); // a range from the cursor's code
            Assert.True(plan.RowsRead <= 2 * firstPage.RowsRead + 1_000, $"{plan.RowsRead} rows read by cursor against {firstPage.RowsRead} for the first page");
        }
        Assert.True(byNumber.RowsRead >= (long)(deep - 1) * pageSize, $"by number: {byNumber.RowsRead}\n{byNumber.Json}");
    }

    /// <summary>The cursor that leads to page <paramref name="number"/>: the next of the numbered page before it.</summary>
    private static async Task<string> CursorBefore(HttpClient client, string url, int number) =>
        (await (await client.GetAsync($"{url}&page={number - 1}")).Json())["next"]!.GetValue<string>();

    private async Task<Plan> Explain(CommandCapture capture, HttpClient client, string url)
    {
        capture.Last = null;
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var (text, parameters) = capture.Last ?? throw new InvalidOperationException($"{url} issued no tagged query.");
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + text, connection);
        explain.Parameters.AddRange(parameters);
        var json = (string)(await explain.ExecuteScalarAsync())!;
        return new Plan(json);
    }

    /// <summary>A plan's nodes flattened, and how many rows its scans read (returned or filtered out, over every loop).</summary>
    private sealed class Plan
    {
        public Plan(string json)
        {
            Json = json;
            Visit(JsonNode.Parse(json)![0]!["Plan"]!);
        }

        public string Json { get; }

        public List<(string Type, string? Relation, string? Index, string? IndexCond, double Rows)> Nodes { get; } = [];

        public long RowsRead { get; private set; }

        private void Visit(JsonNode node)
        {
            var type = node["Node Type"]!.GetValue<string>();
            var loops = node["Actual Loops"]!.GetValue<double>();
            var rows = node["Actual Rows"]!.GetValue<double>();
            Nodes.Add((type, node["Relation Name"]?.GetValue<string>(), node["Index Name"]?.GetValue<string>(), node["Index Cond"]?.GetValue<string>(), rows));
            if (type.EndsWith("Scan", StringComparison.Ordinal) && type is not ("Subquery Scan" or "Bitmap Index Scan"))
            {
                var removed = (node["Rows Removed by Filter"]?.GetValue<double>() ?? 0) + (node["Rows Removed by Index Recheck"]?.GetValue<double>() ?? 0);
                RowsRead += (long)Math.Round((rows + removed) * loops);
            }
            foreach (var child in node["Plans"]?.AsArray() ?? [])
            {
                Visit(child!);
            }
        }
    }

    /// <summary>The last command the API ran whose text starts with a tag (EF's TagWith), with copies of its parameters.</summary>
    private sealed class CommandCapture(string tag) : DbCommandInterceptor
    {
        public (string Text, NpgsqlParameter[] Parameters)? Last { get; set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.StartsWith(tag, StringComparison.Ordinal))
            {
                Last = (command.CommandText, command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone()).ToArray());
            }
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
