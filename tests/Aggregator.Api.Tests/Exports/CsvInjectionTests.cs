using System.Net;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Tests;

namespace Aggregator.Api.Tests.Exports;

/// <summary>
/// CSV injection (OWASP): agency names are free text and the CSV is meant for Excel, so a text field that would start a
/// formula gets a leading <c>'</c> in every CSV export; numbers, negative ones included, stay numbers.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CsvInjectionTests(ApiFactory api)
{
    private const string Division = "654202";
    private const int Year = 2020;

    public static TheoryData<string> FormulaNames => ["=HYPERLINK(\"http://x\")", "@SUM(1+1)", "+1+1 乌苏", "-2+3"];

    [Theory]
    [MemberData(nameof(FormulaNames))]
    public async Task A_name_that_starts_a_formula_is_neutralised_and_a_negative_number_is_not(string name)
    {
        var code = Http.Unique("csvi");
        var admin = api.Admin();
        await admin.RegisterAgency(code, Division, "transport", name);
        var document = ReportFixtures.Document("wusu-transport-2020");
        document.Set("proactive.licensing.itemsChange", null, -3);
        Assert.Equal(HttpStatusCode.Created, (await admin.PutReport(code, Year, document)).StatusCode);

        var reports = await Row($"/api/v1/reports?division={Division}&year={Year}&format=csv", code);
        Assert.Equal("'" + name, reports["agencyName"]);

        var cells = await Row($"/api/v1/cells?division={Division}&year={Year}&metric=proactive.licensing.itemsChange&format=csv", code);
        Assert.Equal("'" + name, cells["agencyName"]);
        Assert.Equal("-3", cells["value"]);

        var rollup = await Row(
            $"/api/v1/rollups?metric=proactive.licensing.itemsChange&groupBy=agency&division={Division}&yearFrom={Year}&yearTo={Year}&format=csv", code);
        Assert.Equal("'" + name, rollup["agencyName"]);
        Assert.Equal("-3", rollup["proactive.licensing.itemsChange"]);
    }

    [Fact]
    public async Task An_ordinary_name_is_written_as_it_is()
    {
        var code = Http.Unique("csvo");
        await api.Admin().RegisterAgency(code, Division, "transport", "乌苏市交通运输局-路政");
        Assert.Equal(HttpStatusCode.Created, (await api.Admin().PutReport(code, Year, ReportFixtures.DocumentJson("wusu-transport-2020"))).StatusCode);

        var reports = await Row($"/api/v1/reports?division={Division}&year={Year}&format=csv", code);

        Assert.Equal("乌苏市交通运输局-路政", reports["agencyName"]);
    }

    private async Task<Dictionary<string, string>> Row(string url, string agency)
    {
        var csv = await CsvBody.Read(await api.Anonymous().GetAsync(url));
        return csv.Records.Single(r => r["agency"] == agency);
    }
}
