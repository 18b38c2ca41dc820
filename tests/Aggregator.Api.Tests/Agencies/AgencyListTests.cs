using System.Net;
using Aggregator.Api.Tests.Infrastructure;

namespace Aggregator.Api.Tests.Agencies;

/// <summary>Lists over everything, so the class has a database of its own.</summary>
public sealed class AgencyListTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Agencies_list_by_division_prefix_and_sector_paged()
    {
        const string sector = "transport";
        string[] divisions = ["654202", "654201", "654301", "650100", "321322"];
        foreach (var division in divisions)
        {
            await api.Admin().RegisterAgency(Http.Unique("ls"), division, sector);
        }
        var client = api.Anonymous();

        async Task<string> List(string query)
        {
            var page = await (await client.GetAsync($"/api/v1/agencies?sector={sector}&{query}")).Json();
            Assert.Null(page["next"]); // all of them on the first page
            var items = page["items"]!.AsArray();
            return $"{items.Count}: {string.Join(",", items.Select(i => i!["divisionCode"]!.GetValue<string>()).Order())}";
        }

        Assert.Equal("5: 321322,650100,654201,654202,654301", await List(""));
        Assert.Equal("4: 650100,654201,654202,654301", await List("division=65"));
        Assert.Equal("2: 654201,654202", await List("division=6542"));
        Assert.Equal("1: 654202", await List("division=654202"));
        var paged = await (await client.GetAsync($"/api/v1/agencies?sector={sector}&pageSize=2&page=3")).Json();
        Assert.Equal(5, paged["total"]!.GetValue<int>());
        Assert.Single(paged["items"]!.AsArray());
        var clamped = await (await client.GetAsync($"/api/v1/agencies?sector={sector}&pageSize=5000&page=0")).Json();
        Assert.Equal(1000, clamped["pageSize"]!.GetValue<int>());
        Assert.Equal(1, clamped["page"]!.GetValue<int>());
        await (await client.GetAsync("/api/v1/agencies?division=654")).Problem(HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/v1/agencies/nobody-here")).Problem(HttpStatusCode.NotFound);
    }
}
