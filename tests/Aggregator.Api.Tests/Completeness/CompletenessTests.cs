using System.Net;
using System.Net.Http.Json;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Aggregator.Api.Tests.Completeness;

/// <summary>Who is missing and who was late, on a clock the test sets. A database of its own.</summary>
public sealed class CompletenessTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Expected_missing_late_and_with_findings_per_group()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 1, 5, 0, 0, 0, TimeSpan.Zero));
        await using var host = api.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var admin = host.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", ApiFactory.AdminKey);

        async Task<string> Register(string division, string sector, int? activeFrom = null, int? activeTo = null)
        {
            var code = Http.Unique("c");
            var response = await admin.PostAsJsonAsync("/api/v1/agencies", new { code, name = $"机关 {code}", divisionCode = division, sector, activeFrom, activeTo });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return code;
        }
        async Task Submit(string agency, DateTimeOffset at, string fixture = "pingtan-2021")
        {
            clock.SetUtcNow(at);
            var response = await admin.PutReport(agency, 2023, ReportFixtures.DocumentJson(fixture));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var onTime = await Register("654202", "transport");
        var late = await Register("654201", "transport");
        var government = await Register("654202", "government");
        var missing = await Register("654201", "transport");
        await Register("654203", "transport", activeTo: 2022);
        await Register("654202", "transport", activeFrom: 2024);
        var elsewhere = await Register("650102", "transport");

        await Submit(elsewhere, new DateTimeOffset(2024, 1, 10, 0, 0, 0, TimeSpan.Zero), "wusu-transport-2020");
        await Submit(onTime, new DateTimeOffset(2024, 1, 31, 15, 0, 0, TimeSpan.Zero));       // 23:00 in Beijing: in time
        await Submit(late, new DateTimeOffset(2024, 1, 31, 16, 30, 0, TimeSpan.Zero));        // 00:30 on 1 February in Beijing
        await Submit(government, new DateTimeOffset(2024, 3, 20, 0, 0, 0, TimeSpan.Zero));    // people's government: due 31 March
        var correction = ReportFixtures.Document("pingtan-2021");
        correction.Set("proactive.penalty.decisions", null, 1);
        clock.SetUtcNow(new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero));
        await admin.PutReport(onTime, 2023, correction); // a later correction does not make a report late

        var byPrefecture = (await (await api.Anonymous().GetAsync("/api/v1/completeness?year=2023&groupBy=prefecture")).Json())["groups"]!.AsArray();

        Assert.Equal(["650100", "654200"], byPrefecture.Select(g => g!["prefecture"]!.GetValue<string>()));
        var tacheng = byPrefecture[1]!;
        Assert.Equal("塔城地区", tacheng["prefectureName"]!.GetValue<string>());
        Assert.Equal(4, tacheng["expected"]!.GetValue<int>());
        Assert.Equal(3, tacheng["submitted"]!.GetValue<int>());
        Assert.Equal(0.75m, tacheng["reportingRate"]!.GetValue<decimal>());
        Assert.Equal([missing], tacheng["missing"]!.AsArray().Select(m => m!["code"]!.GetValue<string>()));
        var lateReport = Assert.Single(tacheng["late"]!.AsArray())!;
        Assert.Equal(late, lateReport["code"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 23, 59, 59, TimeSpan.FromHours(8)), lateReport["deadline"]!.GetValue<DateTimeOffset>());
        Assert.Empty(tacheng["withFindings"]!.AsArray());
        var urumqi = byPrefecture[0]!;
        Assert.Equal((1, 1), (urumqi["expected"]!.GetValue<int>(), urumqi["submitted"]!.GetValue<int>()));
        Assert.Equal([elsewhere], urumqi["withFindings"]!.AsArray().Select(c => c!.GetValue<string>()));

        // The same for Excel: one row per prefecture, Chinese headers, agencies by code.
        var csv = await CsvBody.Read(await api.Anonymous().GetAsync("/api/v1/completeness?year=2023&groupBy=prefecture&format=csv&labels=zh"));
        Assert.Equal(["地市代码", "地市", "应报数", "已报数", "报送率", "未报机关", "逾期机关", "有勾稽问题的机关"], csv.Header);
        Assert.Equal(["654200", "塔城地区", "4", "3", "0.75", missing, late, ""], csv.Rows[1]);
        Assert.Equal(elsewhere, csv.Rows[0][7]);

        var bySector = (await (await api.Anonymous().GetAsync("/api/v1/completeness?year=2023&division=6542&groupBy=sector")).Json())["groups"]!.AsArray();
        Assert.Equal([("government", "人民政府", 1, 1), ("transport", "交通运输", 3, 2)],
            bySector.Select(g => (g!["sector"]!.GetValue<string>(), g["sectorName"]!.GetValue<string>(), g["expected"]!.GetValue<int>(), g["submitted"]!.GetValue<int>())));

        var county = Assert.Single((await (await api.Anonymous().GetAsync("/api/v1/completeness?year=2023&groupBy=county&division=654201")).Json())["groups"]!.AsArray())!;
        Assert.Equal(("654201", "塔城市", 2, 1), (county["county"]!.GetValue<string>(), county["countyName"]!.GetValue<string>(), county["expected"]!.GetValue<int>(), county["submitted"]!.GetValue<int>()));

        // 2022: the four, and the agency abolished after 2022; not the one founded in 2024.
        var before = Assert.Single((await (await api.Anonymous().GetAsync("/api/v1/completeness?year=2022&division=6542")).Json())["groups"]!.AsArray())!;
        Assert.Equal((5, 0), (before["expected"]!.GetValue<int>(), before["submitted"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("", "year")]
    [InlineData("year=2023&groupBy=agency", "groupBy")]
    [InlineData("year=2023&division=6", "division")]
    public async Task An_invalid_completeness_request_is_400(string query, string field)
    {
        var problem = await (await api.Anonymous().GetAsync($"/api/v1/completeness?{query}")).Problem(HttpStatusCode.BadRequest);

        Assert.Contains(field, problem.ErrorKeys());
    }
}
