using System.Net;
using System.Net.Http.Json;
using Aggregator.Api.Tests.Infrastructure;

namespace Aggregator.Api.Tests.Agencies;

[Collection(ApiCollection.Name)]
public sealed class AgencyTests(ApiFactory api)
{
    [Fact]
    public async Task An_agency_registers_and_reads_back()
    {
        var code = Http.Unique("reg");

        var response = await api.Admin().PostAsJsonAsync("/api/v1/agencies", new { code, name = "乌苏市交通运输局", divisionCode = "654202", sector = "transport" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/agencies/{code}", response.Headers.Location?.OriginalString);
        var agency = await (await api.Anonymous().GetAsync($"/api/v1/agencies/{code}")).Json();
        Assert.Equal("乌苏市交通运输局", agency["name"]!.GetValue<string>());
        Assert.Equal("654202", agency["divisionCode"]!.GetValue<string>());
        Assert.Equal("transport", agency["sector"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_unified_social_credit_code_is_a_valid_key()
    {
        await api.Admin().RegisterAgency("11654202MB" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), "654202", "transport");
    }

    [Fact]
    public async Task Registering_a_code_twice_is_409()
    {
        var code = Http.Unique("dup");
        await api.Admin().RegisterAgency(code, "654202", "transport");

        var problem = await (await api.Admin().PostAsJsonAsync("/api/v1/agencies", new { code, name = "again", divisionCode = "654202", sector = "transport" }))
            .Problem(HttpStatusCode.Conflict);

        Assert.Contains(code, problem["detail"]!.GetValue<string>());
    }

    public static TheoryData<object, string> InvalidAgencies() => new()
    {
        { new { code = "a", name = "x", divisionCode = "654202", sector = "transport" }, "code" },
        { new { code = "has space", name = "x", divisionCode = "654202", sector = "transport" }, "code" },
        { new { code = "ok-code", name = "", divisionCode = "654202", sector = "transport" }, "name" },
        { new { code = "ok-code", name = "x", divisionCode = "65420", sector = "transport" }, "divisionCode" },
        { new { code = "ok-code", name = "x", divisionCode = "054202", sector = "transport" }, "divisionCode" },
        { new { code = "ok-code", name = "x", divisionCode = "654223", sector = "transport" }, "divisionCode" },
        { new { code = "ok-code", name = "x", divisionCode = "654202", sector = "Transport!" }, "sector" },
        { new { code = "ok-code", name = "x", divisionCode = "654202", sector = "spaceflight" }, "sector" },
    };

    [Theory]
    [MemberData(nameof(InvalidAgencies))]
    public async Task An_invalid_agency_is_400_naming_the_field(object body, string field)
    {
        var problem = await (await api.Admin().PostAsJsonAsync("/api/v1/agencies", body)).Problem(HttpStatusCode.BadRequest);

        Assert.Equal([field], problem.ErrorKeys());
    }

    [Theory]
    [InlineData("{\"code\":\"ok-code\",\"name\":\"x\",\"divisionCode\":\"654202\"}", "sector")]
    [InlineData("{\"code\":\"ok-code\",\"name\":\"x\",\"divisionCode\":\"654202\",\"sector\":\"t\",\"extra\":1}", "extra")]
    [InlineData("{\"code\":\"ok-code\",\"name\":null,\"divisionCode\":\"654202\",\"sector\":\"transport\"}", "name")]
    [InlineData("not json", "JSON")]
    public async Task A_malformed_agency_body_is_400_saying_what_is_wrong(string body, string mentions)
    {
        var response = await api.Admin().PostAsync("/api/v1/agencies", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.Problem(HttpStatusCode.BadRequest);
        Assert.Contains(mentions, problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }
}
