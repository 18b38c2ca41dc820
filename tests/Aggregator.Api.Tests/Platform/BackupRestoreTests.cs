using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;
using Aggregator.Tests;
using Npgsql;

namespace Aggregator.Api.Tests.Platform;

/// <summary>
/// The README runbook's backup and restore, as an operator runs it: <c>pg_dump -Fc</c> of a live database, then
/// <c>pg_restore</c> into a fresh, empty database and the API started on it. The restored service answers the same
/// rollups (equal to sums the test computes from the documents it sent), the same reports and revisions, the same
/// audit trail; a key issued before the dump still works, and the next correction becomes the next revision.
/// </summary>
public sealed class BackupRestoreTests : IAsyncLifetime
{
    private const string Rollup = "/api/v1/rollups?metric=proactive.penalty.decisions,applications.notProcessed.petitionComplaint&groupBy=prefecture,year";

    private static readonly (string Fixture, string Agency, string Division)[] Agencies =
    [
        ("wusu-transport-2020", "bk-wusu", "654202"),
        ("shuyang-fgj-2023", "bk-shuyang", "321322"),
        ("huaian-szf-2024", "bk-huaian", "320800"),
        ("pingtan-2021", "bk-pingtan", "350128"),
    ];

    private TestDatabase? source;
    private TestDatabase? restored;

    public async Task InitializeAsync()
    {
        source = await TestDatabase.CreateAsync();
        restored = await TestDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        File.Delete(DumpPath);
        await source!.DisposeAsync();
        await restored!.DisposeAsync();
    }

    [Fact]
    public async Task A_dump_restored_into_a_fresh_database_answers_the_same_rollups_reports_and_audit_and_takes_the_next_revision()
    {
        var documents = new Dictionary<(string Division, int Year), ReportDocument>();
        string bureauKey;
        JsonNode before, revisionsBefore, reportBefore, auditBefore;
        await using (var api = new ApiOnDatabase(source!.ConnectionString, migrate: true))
        {
            var admin = api.Client(ApiFactory.AdminKey);
            foreach (var (fixture, agency, division) in Agencies)
            {
                await admin.RegisterAgency(agency, division, "government");
                var year = int.Parse(fixture[^4..], System.Globalization.CultureInfo.InvariantCulture);
                var document = ReportFixtures.Document(fixture);
                Assert.Equal(HttpStatusCode.Created, (await admin.PutReport(agency, year, document)).StatusCode);
                documents[(division, year)] = document;
            }
            var issued = await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { role = "bureau", agency = "bk-wusu" })).Json();
            bureauKey = issued["key"]!.GetValue<string>();
            var corrected = ReportFixtures.Document("wusu-transport-2020");
            corrected.Set("proactive.penalty.decisions", null, (corrected.Get("proactive.penalty.decisions") ?? 0) + 7);
            Assert.Equal(HttpStatusCode.OK, (await api.Client(bureauKey).PutReport("bk-wusu", 2020, corrected)).StatusCode);
            documents[("654202", 2020)] = corrected;

            before = await Body(admin, Rollup);
            AssertSums(before, documents);
            reportBefore = await Body(admin, "/api/v1/agencies/bk-wusu/reports/2020");
            revisionsBefore = await Body(admin, "/api/v1/agencies/bk-wusu/reports/2020/revisions");
            auditBefore = await Body(admin, "/api/v1/audit?agency=bk-wusu");

            // The dump is taken while the service runs, as a backup is.
            await PostgresTools.RunAsync("pg_dump", ["--format=custom", "--file", DumpPath, "--dbname", Url(source.ConnectionString)]);
        }
        await PostgresTools.RunAsync("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--dbname", Url(restored!.ConnectionString), DumpPath]);

        await using (var api = new ApiOnDatabase(restored.ConnectionString, migrate: true))
        {
            var admin = api.Client(ApiFactory.AdminKey);
            var after = await Body(admin, Rollup);
            Assert.Equal(before["rows"]!.ToJsonString(), after["rows"]!.ToJsonString());
            Assert.Equal(reportBefore.ToJsonString(), (await Body(admin, "/api/v1/agencies/bk-wusu/reports/2020")).ToJsonString());
            Assert.Equal(revisionsBefore.ToJsonString(), (await Body(admin, "/api/v1/agencies/bk-wusu/reports/2020/revisions")).ToJsonString());
            Assert.Equal(auditBefore["items"]!.ToJsonString(), (await Body(admin, "/api/v1/audit?agency=bk-wusu"))["items"]!.ToJsonString());

            var again = documents[("654202", 2020)];
            again.Set("proactive.penalty.decisions", null, again.Get("proactive.penalty.decisions")! + 1);
            var answer = await (await api.Client(bureauKey).PutReport("bk-wusu", 2020, again)).Json();
            Assert.Equal(3, answer["revision"]!.GetValue<int>());
            AssertSums(await Body(admin, Rollup), documents);
        }
    }

    private string DumpPath => Path.Combine(Path.GetTempPath(), $"{source!.Name}.dump");

    private static async Task<JsonNode> Body(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonBody();
    }

    /// <summary>
    /// Each prefecture-year with a report holds the one the test sent there: its values are that document's (the other
    /// rows are the years where its agency was expected and did not report).
    /// </summary>
    private static void AssertSums(JsonNode rollup, Dictionary<(string Division, int Year), ReportDocument> documents)
    {
        var rows = rollup["rows"]!.AsArray().Where(r => r!["reports"]!.GetValue<int>() > 0).ToList();
        Assert.Equal(documents.Count, rows.Count);
        foreach (var ((division, year), document) in documents)
        {
            var row = rows.Single(r => r!["prefecture"]!.GetValue<string>() == division[..4] + "00" && r["year"]!.GetValue<int>() == year)!;
            Assert.Equal(document.Get("proactive.penalty.decisions") ?? 0, row["values"]!["proactive.penalty.decisions"]!.GetValue<decimal>());
            Assert.Equal(document.Get("applications.notProcessed.petitionComplaint", Applicant.Total) ?? 0,
                row["values"]!["applications.notProcessed.petitionComplaint"]!.GetValue<decimal>());
        }
    }

    /// <summary>A libpq URL for the client tools, the password in it (the test server's, on loopback only).</summary>
    private static string Url(string connectionString)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql://{Uri.EscapeDataString(c.Username!)}:{Uri.EscapeDataString(c.Password ?? "")}@{c.Host}:{c.Port}/{Uri.EscapeDataString(c.Database!)}";
    }
}
