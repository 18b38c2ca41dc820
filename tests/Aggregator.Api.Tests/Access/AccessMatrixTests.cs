using System.Net;
using System.Net.Http.Json;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Tests;

namespace Aggregator.Api.Tests.Access;

/// <summary>Every allow and deny: role × scope × operation, against the agency of the address.</summary>
[Collection(ApiCollection.Name)]
public sealed class AccessMatrixTests(ApiFactory api)
{
    [Fact]
    public async Task Each_role_writes_exactly_where_it_belongs()
    {
        // 乌苏 (654202) and 塔城市 654201 are inside 塔城地区 6542; 平潭 (350128) is in another province.
        var inside = Http.Unique("in");
        var sibling = Http.Unique("sib");
        var outside = Http.Unique("out");
        await api.Admin().RegisterAgency(inside, "654202", "transport");
        await api.Admin().RegisterAgency(sibling, "654201", "transport");
        await api.Admin().RegisterAgency(outside, "350128", "government");
        var keys = new Dictionary<string, string>
        {
            ["admin"] = (await api.Issue("admin")).Key,
            ["region 6542"] = (await api.Issue("region", division: "6542")).Key,
            ["region 65"] = (await api.Issue("region", division: "65")).Key,
            ["bureau inside"] = (await api.Issue("bureau", agency: inside)).Key,
        };
        var seed = ReportFixtures.DocumentJson("wusu-transport-2020");

        var operations = new Dictionary<string, Func<HttpClient, Task<HttpResponseMessage>>>
        {
            ["submit inside"] = c => c.PutReport(inside, 2020, seed),
            ["submit sibling"] = c => c.PutReport(sibling, 2020, seed),
            ["submit outside"] = c => c.PutReport(outside, 2020, seed),
            ["register in 6542"] = c => c.PostAsJsonAsync("/api/v1/agencies", new { code = Http.Unique("new"), name = "新机关", divisionCode = "654203", sector = "transport" }),
            ["register in 35"] = c => c.PostAsJsonAsync("/api/v1/agencies", new { code = Http.Unique("new"), name = "新机关", divisionCode = "350102", sector = "transport" }),
            ["issue bureau inside"] = c => c.PostAsJsonAsync("/api/v1/api-keys", new { role = "bureau", agency = inside }),
            ["issue bureau outside"] = c => c.PostAsJsonAsync("/api/v1/api-keys", new { role = "bureau", agency = outside }),
            ["issue region"] = c => c.PostAsJsonAsync("/api/v1/api-keys", new { role = "region", division = "654202" }),
            ["issue admin"] = c => c.PostAsJsonAsync("/api/v1/api-keys", new { role = "admin" }),
            ["revoke bureau of sibling"] = async c => await c.DeleteAsync($"/api/v1/api-keys/{(await api.Issue("bureau", agency: sibling)).Id}"),
            ["revoke bureau of outside"] = async c => await c.DeleteAsync($"/api/v1/api-keys/{(await api.Issue("bureau", agency: outside)).Id}"),
            ["read audit"] = c => c.GetAsync("/api/v1/audit"),
            ["list keys"] = c => c.GetAsync("/api/v1/api-keys"),
        };
        const int ok = 200, created = 201, gone = 204, forbidden = 403;
        var expected = new Dictionary<(string Key, string Operation), int>
        {
            [("admin", "submit inside")] = created, [("admin", "submit sibling")] = created, [("admin", "submit outside")] = created,
            [("admin", "register in 6542")] = created, [("admin", "register in 35")] = created,
            [("admin", "issue bureau inside")] = created, [("admin", "issue bureau outside")] = created,
            [("admin", "issue region")] = created, [("admin", "issue admin")] = created,
            [("admin", "revoke bureau of sibling")] = gone, [("admin", "revoke bureau of outside")] = gone,
            [("admin", "read audit")] = ok, [("admin", "list keys")] = ok,

            [("region 6542", "submit inside")] = ok, [("region 6542", "submit sibling")] = ok, [("region 6542", "submit outside")] = forbidden,
            [("region 6542", "register in 6542")] = created, [("region 6542", "register in 35")] = forbidden,
            [("region 6542", "issue bureau inside")] = created, [("region 6542", "issue bureau outside")] = forbidden,
            [("region 6542", "issue region")] = forbidden, [("region 6542", "issue admin")] = forbidden,
            [("region 6542", "revoke bureau of sibling")] = gone, [("region 6542", "revoke bureau of outside")] = forbidden,
            [("region 6542", "read audit")] = ok, [("region 6542", "list keys")] = ok,

            [("region 65", "submit inside")] = ok, [("region 65", "submit sibling")] = ok, [("region 65", "submit outside")] = forbidden,
            [("region 65", "register in 6542")] = created, [("region 65", "register in 35")] = forbidden,
            [("region 65", "issue bureau inside")] = created, [("region 65", "issue bureau outside")] = forbidden,
            [("region 65", "issue region")] = forbidden, [("region 65", "issue admin")] = forbidden,
            [("region 65", "revoke bureau of sibling")] = gone, [("region 65", "revoke bureau of outside")] = forbidden,
            [("region 65", "read audit")] = ok, [("region 65", "list keys")] = ok,

            [("bureau inside", "submit inside")] = ok, [("bureau inside", "submit sibling")] = forbidden, [("bureau inside", "submit outside")] = forbidden,
            [("bureau inside", "register in 6542")] = forbidden, [("bureau inside", "register in 35")] = forbidden,
            [("bureau inside", "issue bureau inside")] = forbidden, [("bureau inside", "issue bureau outside")] = forbidden,
            [("bureau inside", "issue region")] = forbidden, [("bureau inside", "issue admin")] = forbidden,
            [("bureau inside", "revoke bureau of sibling")] = forbidden, [("bureau inside", "revoke bureau of outside")] = forbidden,
            [("bureau inside", "read audit")] = forbidden, [("bureau inside", "list keys")] = forbidden,
        };

        var mismatches = new List<string>();
        foreach (var (key, secret) in keys)
        {
            foreach (var (operation, call) in operations)
            {
                var response = await call(api.WithKey(secret));
                var status = (int)response.StatusCode;
                if (status != expected[(key, operation)])
                {
                    mismatches.Add($"{key} × {operation}: expected {expected[(key, operation)]}, got {status} {await response.Content.ReadAsStringAsync()}");
                }
                else if (status == forbidden)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));

        // Nothing the denied writes attempted exists: the outside agency's report came only from the admin.
        var revisions = (await (await api.Anonymous().GetAsync($"/api/v1/agencies/{outside}/reports/2020/revisions")).JsonBody()).AsArray();
        Assert.Single(revisions);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("garbage")]
    [InlineData("agg_00000000000000000000000000000000_0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task No_key_or_an_unknown_key_is_401(string? key)
    {
        var agency = Http.Unique("k401");
        await api.Admin().RegisterAgency(agency, "654202", "transport");
        var client = key is null ? api.Anonymous() : api.WithKey(key);

        var problem = await (await client.PutReport(agency, 2020, ReportFixtures.DocumentJson("wusu-transport-2020"))).Problem(HttpStatusCode.Unauthorized);

        Assert.Contains("key", problem["detail"]!.GetValue<string>());
        await (await client.GetAsync("/api/v1/audit")).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_forged_secret_for_a_real_key_id_is_401()
    {
        var (_, key) = await api.Issue("admin");
        var forged = key[..^4] + (key.EndsWith("0000") ? "1111" : "0000");

        await (await api.WithKey(forged).GetAsync("/api/v1/api-keys")).Problem(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("{\"role\":\"emperor\"}", "role")]
    [InlineData("{\"role\":\"bureau\"}", "agency")]
    [InlineData("{\"role\":\"region\"}", "division")]
    [InlineData("{\"role\":\"region\",\"division\":\"654\"}", "division")]
    [InlineData("{\"role\":\"admin\",\"division\":\"65\"}", "division")]
    [InlineData("{\"role\":\"bureau\",\"agency\":\"no-such-agency\"}", "agency")]
    [InlineData("{\"role\":\"admin\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}", "expiresAt")]
    public async Task An_invalid_key_request_is_400_naming_the_field(string body, string field)
    {
        var response = await api.Admin().PostAsync("/api/v1/api-keys", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Contains(field, (await response.Problem(HttpStatusCode.BadRequest)).ErrorKeys());
    }

    [Fact]
    public async Task Revoking_an_unknown_key_is_404()
    {
        await (await api.Admin().DeleteAsync($"/api/v1/api-keys/{Guid.NewGuid()}")).Problem(HttpStatusCode.NotFound);
    }
}
