using System.Net;
using System.Net.Http.Json;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;
using Aggregator.Tests;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Aggregator.Api.Tests.Access;

[Collection(ApiCollection.Name)]
public sealed class KeyLifecycleTests(ApiFactory api)
{
    [Fact]
    public async Task A_bureau_key_for_wusu_submits_the_seed_and_cannot_submit_in_another_prefecture()
    {
        var wusu = Http.Unique("wusu");
        var elsewhere = Http.Unique("kuqa");
        await api.Admin().RegisterAgency(wusu, "654202", "transport", "乌苏市交通运输局");
        await api.Admin().RegisterAgency(elsewhere, "652902", "transport", "库车市交通运输局");
        var (keyId, key) = await api.Issue("bureau", agency: wusu);
        var bureau = api.WithKey(key);

        var submitted = await bureau.PutReport(wusu, 2020, ReportFixtures.DocumentJson("wusu-transport-2020"));
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var denied = await (await bureau.PutReport(elsewhere, 2020, ReportFixtures.DocumentJson("wusu-transport-2020"))).Problem(HttpStatusCode.Forbidden);
        Assert.Contains(wusu, denied["detail"]!.GetValue<string>());

        // The denied write left its audit record and nothing else.
        Assert.Equal(HttpStatusCode.NotFound, (await api.Anonymous().GetAsync($"/api/v1/agencies/{elsewhere}/reports/2020")).StatusCode);
        var record = Assert.Single(await api.AuditOf(elsewhere), e => e!["action"]!.GetValue<string>() == "SubmitReport");
        Assert.Equal(keyId, record!["keyId"]!.GetValue<string>());
        Assert.Equal("bureau", record["role"]!.GetValue<string>());
        Assert.Equal(403, record["status"]!.GetValue<int>());
        Assert.Equal("rejected", record["outcome"]!.GetValue<string>());
        var accepted = Assert.Single(await api.AuditOf(wusu), e => e!["action"]!.GetValue<string>() == "SubmitReport");
        Assert.Equal(1, accepted!["revision"]!.GetValue<int>());
        Assert.Equal(2020, accepted["year"]!.GetValue<int>());
        Assert.Equal("succeeded", accepted["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_once()
    {
        var agency = Http.Unique("rev");
        await api.Admin().RegisterAgency(agency, "350128", "government");
        var (id, key) = await api.Issue("bureau", agency: agency);
        var bureau = api.WithKey(key);
        Assert.Equal(HttpStatusCode.Created, (await bureau.PutReport(agency, 2021, ReportFixtures.DocumentJson("pingtan-2021"))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin().DeleteAsync($"/api/v1/api-keys/{id}")).StatusCode);

        var document = ReportFixtures.Document("pingtan-2021");
        document.Set("proactive.penalty.decisions", null, 1);
        var problem = await (await bureau.PutReport(agency, 2021, document)).Problem(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem["detail"]!.GetValue<string>());
        Assert.Single((await (await api.Anonymous().GetAsync($"/api/v1/agencies/{agency}/reports/2021/revisions")).JsonBody()).AsArray());
        Assert.Contains(await api.AuditOf(agency), e => e!["action"]!.GetValue<string>() == "SubmitReport" && e["status"]!.GetValue<int>() == 401);
    }

    [Fact]
    public async Task An_expired_key_stops_working_when_it_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = api.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var agency = Http.Unique("exp");
        await api.Admin().RegisterAgency(agency, "350128", "government");
        var (_, key) = await Issue(host, "bureau", agency: agency, expiresAt: clock.GetUtcNow().AddHours(1));
        var bureau = WithKey(host, key);
        Assert.Equal(HttpStatusCode.Created, (await bureau.PutReport(agency, 2021, ReportFixtures.DocumentJson("pingtan-2021"))).StatusCode);

        clock.Advance(TimeSpan.FromHours(1));

        var problem = await (await bureau.PutReport(agency, 2022, ReportFixtures.DocumentJson("pingtan-2021"))).Problem(HttpStatusCode.Unauthorized);
        Assert.Contains("expired", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Keys_issued_by_a_region_key_end_when_it_is_revoked()
    {
        var agency = Http.Unique("iss");
        await api.Admin().RegisterAgency(agency, "654202", "transport");
        var (regionId, regionKey) = await api.Issue("region", division: "6542");
        var issued = await (await api.WithKey(regionKey).PostAsJsonAsync("/api/v1/api-keys", new { role = "bureau", agency })).Json();
        var bureau = api.WithKey(issued["key"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await bureau.PutReport(agency, 2020, ReportFixtures.DocumentJson("wusu-transport-2020"))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin().DeleteAsync($"/api/v1/api-keys/{regionId}")).StatusCode);

        var problem = await (await bureau.PutReport(agency, 2021, ReportFixtures.DocumentJson("pingtan-2021"))).Problem(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem["detail"]!.GetValue<string>());
        var listed = (await (await api.Admin().GetAsync("/api/v1/api-keys?pageSize=1000")).Json())["items"]!.AsArray()
            .Single(k => k!["id"]!.GetValue<string>() == issued["id"]!.GetValue<string>())!;
        Assert.NotNull(listed["revokedAt"]);
    }

    [Fact]
    public async Task A_key_issued_by_an_expiring_key_expires_with_it_at_the_latest()
    {
        var agency = Http.Unique("cap");
        await api.Admin().RegisterAgency(agency, "654202", "transport");
        var regionExpiry = DateTimeOffset.UtcNow.AddDays(30);
        var (_, regionKey) = await api.Issue("region", division: "6542", expiresAt: regionExpiry);
        var region = api.WithKey(regionKey);

        var forever = await (await region.PostAsJsonAsync("/api/v1/api-keys", new { role = "bureau", agency })).Json();
        var longer = await (await region.PostAsJsonAsync("/api/v1/api-keys", new { role = "bureau", agency, expiresAt = regionExpiry.AddDays(30) })).Json();
        var shorter = await (await region.PostAsJsonAsync("/api/v1/api-keys", new { role = "bureau", agency, expiresAt = regionExpiry.AddDays(-10) })).Json();

        Assert.Equal(regionExpiry.ToUnixTimeSeconds(), forever["expiresAt"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
        Assert.Equal(regionExpiry.ToUnixTimeSeconds(), longer["expiresAt"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
        Assert.Equal(regionExpiry.AddDays(-10).ToUnixTimeSeconds(), shorter["expiresAt"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
    }

    private static async Task<(string Id, string Key)> Issue(WebApplicationFactory<Program> host, string role, string? agency = null, DateTimeOffset? expiresAt = null)
    {
        var admin = WithKey(host, ApiFactory.AdminKey);
        var response = await admin.PostAsJsonAsync("/api/v1/api-keys", new { role, agency, expiresAt });
        var issued = await response.Json();
        Assert.True(response.StatusCode == HttpStatusCode.Created, issued.ToJsonString());
        return (issued["id"]!.GetValue<string>(), issued["key"]!.GetValue<string>());
    }

    private static HttpClient WithKey(WebApplicationFactory<Program> host, string key)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    [Fact]
    public async Task No_plaintext_secret_is_stored_and_last_use_is_recorded()
    {
        var agency = Http.Unique("sec");
        await api.Admin().RegisterAgency(agency, "350128", "government");
        var (id, key) = await api.Issue("bureau", agency: agency);
        await api.WithKey(key).PutReport(agency, 2021, ReportFixtures.DocumentJson("pingtan-2021"));
        var secret = key.Split('_')[2];

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        foreach (var table in new[] { "api_keys", "audit_events", "agencies", "revisions" })
        {
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} t WHERE row_to_json(t)::text LIKE '%' || $1 || '%'", connection)
            {
                Parameters = { new() { Value = secret } },
            };
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        }

        var listed = (await (await api.Admin().GetAsync("/api/v1/api-keys?pageSize=1000")).Json())["items"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == id)!;
        Assert.NotNull(listed["lastUsedAt"]);
        Assert.Equal(agency, listed["agency"]!.GetValue<string>());
        Assert.False(listed.AsObject().ContainsKey("key"));
    }

    [Fact]
    public async Task A_region_reads_the_audit_of_its_division_only()
    {
        var inside = Http.Unique("ain");
        var outside = Http.Unique("aout");
        await api.Admin().RegisterAgency(inside, "654202", "transport");
        await api.Admin().RegisterAgency(outside, "350128", "government");
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        await api.Admin().PutReport(inside, 2020, ReportFixtures.DocumentJson("wusu-transport-2020"));
        await api.Admin().PutReport(outside, 2021, ReportFixtures.DocumentJson("pingtan-2021"));
        var region = api.WithKey((await api.Issue("region", division: "6542")).Key);

        var seen = (await (await region.GetAsync($"/api/v1/audit?from={Uri.EscapeDataString(from.ToString("O"))}&pageSize=1000")).Json())["items"]!.AsArray()
            .Select(e => e!["agency"]?.GetValue<string>()).ToArray();

        Assert.Contains(inside, seen);
        Assert.DoesNotContain(outside, seen);
        var later = await (await api.Admin().GetAsync($"/api/v1/audit?agency={inside}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}")).Json();
        Assert.Empty(later["items"]!.AsArray());
    }
}
