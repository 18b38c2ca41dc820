using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Infrastructure;

namespace Aggregator.Api.Tests.Access;

public static class Keys
{
    /// <summary>Issues a key with the admin key and returns (id, secret).</summary>
    public static async Task<(string Id, string Key)> Issue(this ApiFactory api, string role, string? agency = null, string? division = null, DateTimeOffset? expiresAt = null)
    {
        var response = await api.Admin().PostAsJsonAsync("/api/v1/api-keys", new { role, agency, division, expiresAt });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var issued = await response.Json();
        return (issued["id"]!.GetValue<string>(), issued["key"]!.GetValue<string>());
    }

    public static HttpClient WithKey(this ApiFactory api, string key)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public static async Task<JsonArray> AuditOf(this ApiFactory api, string agency) =>
        (await (await api.Admin().GetAsync($"/api/v1/audit?agency={agency}")).Json())["items"]!.AsArray();
}
