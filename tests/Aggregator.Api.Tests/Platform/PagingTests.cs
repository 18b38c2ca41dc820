using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;

namespace Aggregator.Api.Tests.Platform;

/// <summary>RFC 8288 Link headers on every list that can grow; following them visits every item once.</summary>
[Collection(ApiCollection.Name)]
public sealed partial class PagingTests(ApiFactory api)
{
    [GeneratedRegex("<([^>]*)>;\\s*rel=\"([a-z]+)\"")]
    private static partial Regex LinkPattern();

    private static Dictionary<string, string> Links(HttpResponseMessage response) =>
        LinkPattern().Matches(string.Join(", ", response.Headers.GetValues("Link")))
            .ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);

    private static int PageOf(string link) => int.Parse(Regex.Match(link, "[?&]page=(\\d+)").Groups[1].Value);

    /// <summary>Follows next from the first page; checks first/prev/last on the way; returns every item seen.</summary>
    private static async Task<List<JsonNode>> Walk(HttpClient client, string url, int pageSize)
    {
        var items = new List<JsonNode>();
        var next = url + (url.Contains('?') ? "&" : "?") + $"pageSize={pageSize}";
        int? total = null;
        var number = 1;
        while (true)
        {
            var response = await client.GetAsync(next);
            var page = await response.Json();
            total ??= page["total"]!.GetValue<int>();
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
            if (!links.TryGetValue("next", out var link))
            {
                Assert.Equal(last, number);
                break;
            }
            Assert.StartsWith(new Uri(url, UriKind.Relative).OriginalString.Split('?')[0], link);
            next = link;
            number++;
        }
        Assert.Equal(total, items.Count);
        return items;
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
        var middle = await api.Anonymous().GetAsync("/api/v1/agencies?division=110105&sector=education&page=2&pageSize=2");
        var links = Links(middle);
        Assert.Contains("division=110105", links["next"]);
        Assert.Contains("sector=education", links["next"]);
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
        Assert.Empty((await response.Json())["items"]!.AsArray());
    }
}
