using System.Net;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Domain;

namespace Aggregator.Api.Tests.Rollups;

/// <summary>Named divisions: the GB/T 2260 list, and rollups that carry names beside codes. A database of its own.</summary>
public sealed class DivisionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_division_reads_with_its_parent_and_children()
    {
        var tacheng = await (await api.Anonymous().GetAsync("/api/v1/divisions/654200")).Json();

        Assert.Equal("塔城地区", tacheng["name"]!.GetValue<string>());
        Assert.Equal("prefecture", tacheng["level"]!.GetValue<string>());
        Assert.Equal("650000", tacheng["parent"]!["code"]!.GetValue<string>());
        Assert.Equal("新疆维吾尔自治区", tacheng["parent"]!["name"]!.GetValue<string>());
        Assert.Contains(tacheng["children"]!.AsArray(), c => c!["code"]!.GetValue<string>() == "654202" && c["name"]!.GetValue<string>() == "乌苏市");

        var beijing = await (await api.Anonymous().GetAsync("/api/v1/divisions/110000")).Json();
        Assert.Null(beijing["parent"]);
        Assert.Contains(beijing["children"]!.AsArray(), c => c!["code"]!.GetValue<string>() == "110101");
        var hubei = await (await api.Anonymous().GetAsync("/api/v1/divisions/420000")).Json();
        Assert.Contains(hubei["children"]!.AsArray(), c => c!["code"]!.GetValue<string>() == "429004" && c["level"]!.GetValue<string>() == "county");

        await (await api.Anonymous().GetAsync("/api/v1/divisions/999999")).Problem(HttpStatusCode.NotFound);
        var sectors = (await (await api.Anonymous().GetAsync("/api/v1/sectors")).JsonBody()).AsArray();
        Assert.Contains(sectors, s => s!["code"]!.GetValue<string>() == "transport" && s["name"]!.GetValue<string>() == "交通运输");
    }

    [Fact]
    public async Task Rollups_name_their_groups_and_place_municipal_and_province_administered_counties()
    {
        // 乌苏市 under 塔城地区; 仙桃市 directly under 湖北省; 东城区 in the municipality 北京市; 新疆's own transport department.
        (string Division, decimal Decisions)[] agencies = [("654202", 5), ("654201", 7), ("429004", 11), ("110101", 13), ("650000", 17)];
        var codes = new Dictionary<string, string>();
        foreach (var (division, decisions) in agencies)
        {
            var code = Http.Unique("nm");
            codes[division] = code;
            await api.Admin().RegisterAgency(code, division, "transport", $"交通运输局 {division}");
            var document = new ReportDocument(Edition.Edition2021);
            document.Set("proactive.penalty.decisions", null, decisions);
            await api.Admin().PutReport(code, 2022, document);
        }

        async Task<Dictionary<string, (string? Name, decimal Value)>> Rollup(string groupBy)
        {
            var rows = (await (await api.Anonymous().GetAsync($"/api/v1/rollups?metric=proactive.penalty.decisions&groupBy={groupBy}")).Json())["rows"]!.AsArray();
            return rows.ToDictionary(r => r![groupBy]!.GetValue<string>(),
                r => (r![groupBy + "Name"]?.GetValue<string>(), r["values"]!["proactive.penalty.decisions"]!.GetValue<decimal>()));
        }

        var byPrefecture = await Rollup("prefecture");
        Assert.Equal(("塔城地区", 12m), byPrefecture["654200"]);
        Assert.Equal(("仙桃市", 11m), byPrefecture["429004"]);
        Assert.Equal(("北京市", 13m), byPrefecture["110000"]);
        Assert.Equal(("新疆维吾尔自治区", 17m), byPrefecture["650000"]);

        var byProvince = await Rollup("province");
        Assert.Equal(("新疆维吾尔自治区", 29m), byProvince["650000"]);
        Assert.Equal(("湖北省", 11m), byProvince["420000"]);
        Assert.Equal(("北京市", 13m), byProvince["110000"]);

        var byCounty = await Rollup("county");
        Assert.Equal(("乌苏市", 5m), byCounty["654202"]);
        Assert.Equal(("东城区", 13m), byCounty["110101"]);

        var row = (await (await api.Anonymous().GetAsync("/api/v1/rollups?metric=proactive.penalty.decisions&groupBy=agency,sector&division=6542")).Json())["rows"]![0]!;
        Assert.Equal("交通运输", row["sectorName"]!.GetValue<string>());
        Assert.StartsWith("交通运输局 6542", row["agencyName"]!.GetValue<string>());
    }
}
