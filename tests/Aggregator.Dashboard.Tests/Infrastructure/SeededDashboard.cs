using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Aggregator.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using Aggregator.Tests.Shared;

namespace Aggregator.Dashboard.Tests.Infrastructure;

/// <summary>
/// The API on a Kestrel port over a fresh database (the four sample reports, Development's admin key), seeded through
/// its public API with 塔城地区 (6542): six agencies in four counties over 2019–2024, reports of both editions, some
/// breaking R1, R2 or R4, one with a correction, cells left blank, agencies that have not reported, and one report
/// submitted after its deadline. The clock is fixed at 20 January 2025 (Beijing), so the 2024 deadlines are still
/// ahead for all but the late report, which is sent after moving the clock past 31 January. And a headless chromium.
/// </summary>
public sealed class SeededDashboard : IAsyncLifetime
{
    public const string AdminKey = "dev-admin-key";
    public const string Prefecture = "6542";

    public static readonly (string Code, string Name, string Division, string Sector)[] Agencies =
    [
        ("tacheng-transport", "塔城市交通运输局", "654201", "transport"),
        ("tacheng-szf", "塔城市人民政府", "654201", "government"),
        ("wusu-gaj", "乌苏市公安局", "654202", "public-security"),
        ("shawan-fgj", "沙湾市发展和改革委员会", "654203", "development-reform"),
        ("emin-jyj", "额敏县教育局", "654221", "education"),
    ];

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2025, 1, 20, 0, 0, 0, TimeSpan.Zero));
    private LiveApi? api;
    private IPlaywright? playwright;

    public Uri Address => api!.Address;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>A client without a key, as the dashboard reads.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Fail first, and clearly, when there is no browser.
        _ = Chromium.ExecutablePath;
        api = await LiveApi.StartAsync(builder => builder
            .UseSetting("Aggregator:RateLimits:AnonymousPerMinute", "100000")
            .UseSetting("Aggregator:RateLimits:PerKeyPerMinute", "100000")
            .UseSetting("Logging:LogLevel:Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware", "Warning")
            .ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        Anonymous = new HttpClient { BaseAddress = api.Address };
        using var admin = new HttpClient { BaseAddress = api.Address };
        admin.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        await SeedAsync(admin);
        (playwright, Browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        playwright?.Dispose();
        Anonymous?.Dispose();
        if (api is not null)
        {
            await api.DisposeAsync();
        }
    }

    public async Task<JsonNode> GetJson(string pathAndQuery)
    {
        var response = await Anonymous.GetAsync(pathAndQuery);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task SeedAsync(HttpClient admin)
    {
        foreach (var (code, name, division, sector) in Agencies)
        {
            var registered = await admin.PostAsJsonAsync("/api/v1/agencies", new { code, name, divisionCode = division, sector });
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        var lines = new List<(string Agency, int Year, JsonObject Document)>();
        void Add(string agency, int year, Action<JsonObject>? change = null)
        {
            var index = Array.FindIndex(Agencies, a => a.Code == agency) + 1;
            var document = Document(year < 2021 ? "2019" : "2021", penalty: index * 100 + (year - 2019) * 13 + index * 7,
                received: 20 + index * 5 + (year - 2019) * 3, granted: 10 + index * 2 + (year - 2019), petition: index + (year - 2019) % 3);
            change?.Invoke(document);
            lines.Add((agency, year, document));
        }
        for (var year = 2019; year <= 2024; year++)
        {
            Add("tacheng-transport", year);
        }
        for (var year = 2021; year <= 2024; year++)
        {
            Add("tacheng-szf", year, year == 2023 ? d => d["appeals"]!["review"]!["total"] = 3 : null); // R4
        }
        for (var year = 2021; year <= 2023; year++) // and no 2024 report: missing
        {
            Add("wusu-gaj", year, year == 2022 ? d => d["proactive"]!["penalty"]!["decisions"] = null : null); // a blank cell
        }
        for (var year = 2021; year <= 2024; year++)
        {
            Add("wusu-transport", year, year == 2021 ? d => d["applications"]!["newlyReceived"]!["total"] = d["applications"]!["newlyReceived"]!["total"]!.GetValue<long>() + 5 : null); // R1
        }
        Add("shawan-fgj", 2022, d => d["proactive"]!["penalty"]!["decisions"] = null); // 沙湾市's only 2022 report: its county's value is blank
        await Bulk(admin, lines);

        // A correction: tacheng-transport's 2023 report, penalty decisions and applications granted changed (revision 2).
        var corrected = Document("2021", penalty: 999, received: 40, granted: 25, petition: 2);
        Assert.Equal(HttpStatusCode.OK, (await Put(admin, "tacheng-transport", 2023, corrected)).StatusCode);

        // After the 2024 deadline of departments (31 January 2025, Beijing): shawan-fgj's 2024 report is late, and breaks R1 and R2.
        clock.SetUtcNow(new DateTimeOffset(2025, 2, 10, 2, 0, 0, TimeSpan.Zero));
        var late = Document("2021", penalty: 321, received: 30, granted: 12, petition: 4);
        late["applications"]!["newlyReceived"]!["naturalPerson"] = 1;
        Assert.Equal(HttpStatusCode.Created, (await Put(admin, "shawan-fgj", 2024, late)).StatusCode);
    }

    private static async Task<HttpResponseMessage> Put(HttpClient admin, string agency, int year, JsonObject document) =>
        await admin.PutAsync($"/api/v1/agencies/{agency}/reports/{year}", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"));

    private static async Task Bulk(HttpClient admin, IEnumerable<(string Agency, int Year, JsonObject Document)> lines)
    {
        var body = string.Join("\n", lines.Select(l => new JsonObject { ["agency"] = l.Agency, ["year"] = l.Year, ["document"] = l.Document }.ToJsonString()));
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        var response = await admin.PostAsync("/api/v1/reports/bulk", content);
        var outcome = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var line in outcome.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(JsonNode.Parse(line)!["status"]!.GetValue<int>() is 200 or 201, $"A seed line was refused: {line}");
        }
    }

    /// <summary>
    /// A document of an edition whose arithmetic holds (R1–R6): the examples' narrative and part 二, the applicant
    /// columns blank, totals only: received = granted + petition-type not processed + not held, nothing carried.
    /// </summary>
    public static JsonObject Document(string edition, long? penalty, long received, long granted, long petition)
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", $"report-edition-{edition}.json")))!.AsObject();
        Leaves(document["applications"]!, (row, key) => row[key] = key == "total" ? 0 : null);
        Leaves(document["appeals"]!, (row, key) => row[key] = 0);
        if (edition == "2019")
        {
            Leaves(document["proactive"]!, (row, key) =>
            {
                if (key is "itemsLastYear" or "itemsChange")
                {
                    row[key] = 0; // R6 holds from year to year
                }
            });
        }
        document["proactive"]!["penalty"]!["decisions"] = penalty;
        var applications = document["applications"]!;
        applications["newlyReceived"]!["total"] = received;
        applications["granted"]!["total"] = granted;
        applications["notProcessed"]!["petitionComplaint"]!["total"] = petition;
        applications["unableToProvide"]!["notHeld"]!["total"] = received - granted - petition;
        applications["totalHandled"]!["total"] = received;
        return document;
    }

    private static void Leaves(JsonNode node, Action<JsonObject, string> set)
    {
        if (node is not JsonObject row)
        {
            return;
        }
        foreach (var (key, value) in row.ToArray())
        {
            if (value is JsonObject)
            {
                Leaves(value, set);
            }
            else
            {
                set(row, key);
            }
        }
    }
}
