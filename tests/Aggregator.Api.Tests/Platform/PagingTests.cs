using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;

namespace Aggregator.Api.Tests.Platform;

/// <summary>
/// RFC 8288 Link headers on every list that can grow; following them visits every item once — by cursor (the default)
/// and by page number (page=N, as before).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class PagingTests(ApiFactory api)
{
    [GeneratedRegex("<([^>]*)>;\\s*rel=\"([a-z]+)\"")]
    private static partial Regex LinkPattern();

    public static Dictionary<string, string> Links(HttpResponseMessage response) =>
        LinkPattern().Matches(string.Join(", ", response.Headers.GetValues("Link")))
            .ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);

    private static int PageOf(string link) => int.Parse(Regex.Match(link, "[?&]page=(\\d+)").Groups[1].Value);

    private static string With(string url, string parameter) => url + (url.Contains('?') ? "&" : "?") + parameter;

    /// <summary>
    /// Follows rel="next" from the first page by cursor; checks on the way that page and total are null, that next in the
    /// body is the cursor the link carries, and that first is the list without cursor. Returns every item seen.
    /// </summary>
    public static async Task<List<JsonNode>> WalkByCursor(HttpClient client, string url, int pageSize)
    {
        var items = new List<JsonNode>();
        var first = With(url, $"pageSize={pageSize}");
        var next = first;
        while (true)
        {
            var response = await client.GetAsync(next);
            Assert.True(response.IsSuccessStatusCode, $"{next}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var page = await response.Json();
            Assert.Null(page["page"]);
            Assert.Null(page["total"]);
            Assert.Equal(pageSize, page["pageSize"]!.GetValue<int>());
            var links = Links(response);
            Assert.Equal(first, Uri.UnescapeDataString(links["first"]));
            Assert.False(links.ContainsKey("prev") || links.ContainsKey("last"), "A walk by cursor links first and next only.");
            var batch = page["items"]!.AsArray();
            items.AddRange(batch.Select(i => i!.DeepClone()));
            if (page["next"]?.GetValue<string>() is not { } cursor)
            {
                Assert.False(links.ContainsKey("next"));
                break;
            }
            Assert.Equal(pageSize, batch.Count); // only the last page is short
            var link = links["next"];
            Assert.StartsWith(url.Split('?')[0] + "?", link);
            Assert.Equal(cursor, Regex.Match(link, "[?&]cursor=([^&]*)").Groups[1].Value);
            next = link;
        }
        return items;
    }

    /// <summary>Follows next by number from page 1; checks first/prev/last on the way; returns every item seen.</summary>
    private static async Task<List<JsonNode>> WalkByNumber(HttpClient client, string url, int pageSize)
    {
        var items = new List<JsonNode>();
        var next = With(url, $"page=1&pageSize={pageSize}");
        int? total = null;
        var number = 1;
        while (true)
        {
            var response = await client.GetAsync(next);
            var page = await response.Json();
            total ??= page["total"]!.GetValue<int>();
            Assert.Equal(number, page["page"]!.GetValue<int>());
            var last = Math.Max(1, (total.Value + pageSize - 1) / pageSize);
            var links = Links(response);
            Assert.Equal(1, PageOf(links["first"]));
            Assert.Equal(last, PageOf(links["last"]));
            Assert.Equal(number > 1, links.ContainsKey("prev"));
            if (number > 1)
            {
                Assert.Equal(number - 1, PageOf(links["prev"]));
            }
            items.AddRange(page["items"]!.AsArray().Select(i => i!.DeepClone()));
            Assert.Equal(links.ContainsKey("next"), page["next"] is not null); // a numbered page also gives the cursor to go on from it
            if (!links.TryGetValue("next", out var link))
            {
                Assert.Equal(last, number);
                break;
            }
            Assert.StartsWith(url.Split('?')[0], link);
            next = link;
            number++;
        }
        Assert.Equal(total, items.Count);
        return items;
    }

    /// <summary>Both walks give the same items, in the same order; returns them.</summary>
    private static async Task<List<JsonNode>> Walk(HttpClient client, string url, int pageSize)
    {
        var byCursor = await WalkByCursor(client, url, pageSize);
        var byNumber = await WalkByNumber(client, url, pageSize);
        Assert.Equal(byNumber.Select(i => i.ToJsonString()), byCursor.Select(i => i.ToJsonString()));
        return byCursor;
    }

    [Fact]
    public async Task Agencies_link_first_prev_next_last_and_keep_the_filters()
    {
        var admin = api.Admin();
        var codes = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            codes.Add(Http.Unique("page"));
            await admin.RegisterAgency(codes[^1], "110105", "education");
        }

        var items = await Walk(api.Anonymous(), "/api/v1/agencies?division=110105&sector=education", 2);

        Assert.Subset(items.Select(i => i["code"]!.GetValue<string>()).ToHashSet(), codes.ToHashSet());
        Assert.Equal(items.Count, items.Select(i => i["code"]!.GetValue<string>()).Distinct().Count());
        foreach (var url in new[] { "/api/v1/agencies?division=110105&sector=education&page=2&pageSize=2", "/api/v1/agencies?division=110105&sector=education&pageSize=2" })
        {
            var links = Links(await api.Anonymous().GetAsync(url));
            Assert.Contains("division=110105", links["next"]);
            Assert.Contains("sector=education", links["next"]);
        }
    }

    [Fact]
    public async Task Reports_cells_keys_and_audit_are_linked_pages()
    {
        var admin = api.Admin();
        var agency = Http.Unique("pages");
        await admin.RegisterAgency(agency, "110105", "education");
        foreach (var year in new[] { 2021, 2022, 2023 })
        {
            var document = new ReportDocument(Edition.Edition2021);
            document.Set("proactive.penalty.decisions", null, year);
            await admin.PutReport(agency, year, document);
        }
        await admin.PostAsJsonAsync("/api/v1/api-keys", new { role = "bureau", agency });
        await admin.PostAsJsonAsync("/api/v1/api-keys", new { role = "bureau", agency });

        Assert.True((await Walk(api.Anonymous(), "/api/v1/reports?division=110105", 2)).Count >= 3);
        var cells = await Walk(api.Anonymous(), $"/api/v1/cells?division=110105&metric=proactive.penalty.decisions", 2);
        Assert.Equal([2021m, 2022m, 2023m], cells.Where(c => c["agency"]!.GetValue<string>() == agency).Select(c => c["value"]!.GetValue<decimal>()));
        Assert.True((await Walk(admin, "/api/v1/api-keys", 1)).Count >= 2);
        Assert.True((await Walk(admin, $"/api/v1/audit?agency={agency}", 2)).Count >= 4); // registration and three submissions
    }

    [Fact]
    public async Task A_page_past_the_end_links_back_to_the_last()
    {
        var response = await api.Anonymous().GetAsync("/api/v1/agencies?page=100000&pageSize=1000");
        var links = Links(response);
        var last = PageOf(links["last"]);

        Assert.Equal(last, PageOf(links["prev"]));
        Assert.False(links.ContainsKey("next"));
        var page = await response.Json();
        Assert.Empty(page["items"]!.AsArray());
        Assert.Null(page["next"]);
    }
}
