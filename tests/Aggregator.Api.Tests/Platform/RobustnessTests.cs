using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Access;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Tests;
using Microsoft.AspNetCore.Hosting;

namespace Aggregator.Api.Tests.Platform;

/// <summary>Inputs found in review that once gave a 500, a bypass or a wrong row: each now has its answer.</summary>
[Collection(ApiCollection.Name)]
public sealed class RobustnessTests(ApiFactory api)
{
    [Theory]
    [InlineData("/api/v1/agencies?sector=%00")]
    [InlineData("/api/v1/reports?division=65%00")]
    [InlineData("/api/v1/audit?agency=a%00b")]
    public async Task A_control_character_in_a_query_is_400_naming_the_parameter(string url)
    {
        var problem = await (await api.Admin().GetAsync(url)).Problem(HttpStatusCode.BadRequest);

        Assert.Single(problem.ErrorKeys());
    }

    [Fact]
    public async Task A_control_character_in_a_body_is_400_and_the_attempt_is_on_record()
    {
        var code = Http.Unique("nul");

        await (await api.Anonymous().PostAsJsonAsync("/api/v1/agencies", new { code = code + "\u0000", name = "x", divisionCode = "654202", sector = "transport" }))
            .Problem(HttpStatusCode.Unauthorized);
        await (await api.Admin().PostAsJsonAsync("/api/v1/agencies", new { code, name = "名\u0000称", divisionCode = "654202", sector = "transport" }))
            .Problem(HttpStatusCode.BadRequest);

        Assert.Contains(await api.AuditOf(code), e => e!["status"]!.GetValue<int>() == 401);
    }

    [Theory]
    [InlineData("/api/v1/agencies?page=2147483647&pageSize=1000")]
    [InlineData("/api/v1/reports?page=3000000&pageSize=1000")]
    [InlineData("/api/v1/rollups?metric=proactive.penalty.decisions,proactive.penalty.decisions")]
    [InlineData("/api/v1/audit?from=2026-01-01T00:00:00%2B08:00")]
    public async Task Edge_queries_answer_200(string url)
    {
        var response = await api.Admin().GetAsync(url);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("yearFrom=1&yearTo=3000000")]
    [InlineData("yearTo=2101")]
    public async Task A_year_range_beyond_report_years_is_400(string years)
    {
        await (await api.Anonymous().GetAsync($"/api/v1/rollups?metric=proactive.penalty.decisions&{years}")).Problem(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("proactive", "fees", "amount", "1e23", "out of range")]
    [InlineData("proactive", "penalty", "decisions", "5000000000000000000", "out of range")]
    public async Task Numbers_beyond_what_is_stored_are_400(string part, string row, string field, string number, string says)
    {
        var agency = Http.Unique("big");
        await api.Admin().RegisterAgency(agency, "350128", "government");
        var document = JsonNode.Parse(ReportFixtures.DocumentJson("pingtan-2021"))!;
        document[part]![row]![field] = JsonNode.Parse(number);

        var problem = await (await api.Admin().PutReport(agency, 2021, document.ToJsonString())).Problem(HttpStatusCode.BadRequest);

        Assert.Contains(says, problem["errors"]![$"$.{part}.{row}.{field}"]![0]!.GetValue<string>());
    }

    /// <summary>Found by the HTTP fuzz run: with an Accept that excluded JSON no problem writer was left, and every refusal was an empty 500.</summary>
    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/csv")]
    [InlineData("text/html")]
    public async Task A_refusal_is_problem_json_whatever_Accept_says(string accept)
    {
        HttpClient Client(string? key = null)
        {
            var client = api.Anonymous();
            client.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);
            if (key is not null)
            {
                client.DefaultRequestHeaders.Add("X-Api-Key", key);
            }
            return client;
        }

        await (await Client("not-a-key").PutReport("no-such-agency", 2021, "{}")).Problem(HttpStatusCode.Unauthorized); // the key check
        await (await Client(ApiFactory.AdminKey).PutReport("no-such-agency", 2021, ReportFixtures.DocumentJson("pingtan-2021"))).Problem(HttpStatusCode.NotFound); // a handler
        await (await Client().GetAsync("/api/v1/no-such-thing")).Problem(HttpStatusCode.NotFound); // routing
        await (await Client().GetAsync("/api/v1/agencies?sector=%00")).Problem(HttpStatusCode.BadRequest); // the query guard
        await (await Client().GetAsync("/api/v1/agencies?page=abc")).Problem(HttpStatusCode.BadRequest); // binding
    }

    [Fact]
    public async Task A_key_expiring_in_Beijing_time_is_issued()
    {
        var response = await api.Admin().PostAsJsonAsync("/api/v1/api-keys", new { role = "admin", expiresAt = "2099-12-31T23:59:59+08:00" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Made_up_keys_count_against_the_client_address()
    {
        await using var limited = api.WithWebHostBuilder(b => b.UseSetting("Aggregator:RateLimits:AnonymousPerMinute", "3"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var client = limited.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", $"junk{i}");
            statuses.Add((await client.GetAsync("/api/v1/metrics")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
