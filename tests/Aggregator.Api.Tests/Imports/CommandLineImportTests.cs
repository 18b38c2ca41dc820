using System.Net;
using Aggregator.Api.Tests.Access;
using Aggregator.Api.Tests.Infrastructure;
using Aggregator.Cli;
using Aggregator.Tests;

namespace Aggregator.Api.Tests.Imports;

/// <summary>`aggregator import` against the running API: progress, a summary table, and the exit code.</summary>
[Collection(ApiCollection.Name)]
public sealed class CommandLineImportTests(ApiFactory api) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("aggregator-cli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private async Task<(int Exit, string Output)> Run(params string[] args)
    {
        var (options, error) = ImportOptions.Parse(args);
        Assert.True(options is not null, error);
        var output = new StringWriter();
        var exit = await new ImportRun(options!, api.CreateClient(), output).RunAsync();
        return (exit, output.ToString());
    }

    private void Copy(string fixture, string asName) =>
        File.Copy(Path.Combine(ReportFixtures.Folder, fixture), Path.Combine(folder, asName));

    [Fact]
    public async Task A_folder_is_submitted_file_by_file_and_failures_are_reported_with_their_reason()
    {
        var wusu = Http.Unique("cli");
        var shuyang = Http.Unique("cli");
        var pingtan = Http.Unique("cli");
        await api.Admin().RegisterAgency(wusu, "654202", "transport");
        await api.Admin().RegisterAgency(shuyang, "321322", "development-reform");
        await api.Admin().RegisterAgency(pingtan, "350128", "government");
        Copy("wusu-transport-2020.txt", $"{wusu}-2020.txt");
        Copy("shuyang-fgj-2023.html", $"{shuyang}-2023.html");
        Copy("pingtan-2021.txt", $"{pingtan}-2021.txt");
        File.WriteAllText(Path.Combine(folder, "news.txt"), "市政府召开常务会议。");

        var (exit, output) = await Run(folder, "--api", "http://localhost", "--key", ApiFactory.AdminKey, "--submit");

        Assert.Equal(1, exit);
        Assert.Contains("[1/4]", output);
        Assert.Matches($@"{wusu}-2020\.txt\s+with findings\s+1\s+1", output);
        Assert.Matches($@"{shuyang}-2023\.html\s+imported\s+1\s+0", output);
        Assert.Matches($@"{pingtan}-2021\.txt\s+failed\s+-\s+0\s+422 Some published values could not be read", output);
        Assert.Matches(@"news\.txt\s+failed\s+-\s+0\s+cannot tell the agency", output);
        Assert.Contains("4 file(s): 1 imported, 1 with findings, 0 need review, 2 failed.", output);
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync($"/api/v1/agencies/{wusu}/reports/2020")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync($"/api/v1/agencies/{shuyang}/reports/2023")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Anonymous().GetAsync($"/api/v1/agencies/{pingtan}/reports/2021")).StatusCode);
    }

    [Fact]
    public async Task A_resubmission_says_unchanged_and_a_correction_says_it_made_a_new_revision()
    {
        var wusu = Http.Unique("cli");
        await api.Admin().RegisterAgency(wusu, "654202", "transport");
        var edited = ReportFixtures.Document("wusu-transport-2020");
        edited.Set("proactive.penalty.decisions", null, 99);
        Assert.Equal(HttpStatusCode.Created, (await api.Admin().PutReport(wusu, 2020, edited)).StatusCode);
        Copy("wusu-transport-2020.txt", $"{wusu}-2020.txt");

        var (_, corrected) = await Run(folder, "--api", "http://localhost", "--key", ApiFactory.AdminKey, "--submit");
        var (_, again) = await Run(folder, "--api", "http://localhost", "--key", ApiFactory.AdminKey, "--submit");

        Assert.Matches($@"{wusu}-2020\.txt\s+with findings\s+2\s+1\s+corrected: new revision 2", corrected);
        Assert.Matches($@"{wusu}-2020\.txt\s+with findings\s+2\s+1\s+unchanged: same as the current revision", again);
    }

    [Fact]
    public async Task A_dry_run_reads_every_fixture_and_stores_nothing()
    {
        foreach (var file in Directory.EnumerateFiles(ReportFixtures.Folder).Where(f => !f.EndsWith(".json")))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        // A key of its own: thirteen imports would use up most of the window anonymous test callers share.
        var (_, key) = await api.Issue("region", division: "6542");
        var (exit, output) = await Run(folder, "--api", "http://localhost", "--key", key);

        Assert.True(exit == 0, output);
        Assert.Matches(@"wusu-transport-2020\.txt\s+with findings\s+-\s+1", output);
        Assert.Matches(@"pingtan-2021\.txt\s+needs review", output);
        // A folder of mixed formats: each file posted as its extension says.
        Assert.Matches(@"pingtan-2021\.pdf\s+imported", output);
        Assert.Matches(@"pingtan-2021\.docx\s+imported", output);
        Assert.Matches(@"shuyang-fgj-2023\.pdf\s+imported", output);
        Assert.Matches(@"shuyang-fgj-2023\.docx\s+imported", output);
        Assert.DoesNotContain("README.md", output);
        Assert.Contains("13 file(s): 8 imported, 1 with findings, 4 need review, 0 failed.", output);
    }

    [Fact]
    public async Task Submit_sends_an_ndjson_file_through_the_bulk_path_and_lists_the_refused_lines()
    {
        var wusu = Http.Unique("cli");
        await api.Admin().RegisterAgency(wusu, "654202", "transport");
        var seed = ReportFixtures.DocumentJson("wusu-transport-2020");
        var file = Path.Combine(folder, "history.ndjson");
        File.WriteAllLines(file,
        [
            $"{{\"agency\":\"{wusu}\",\"year\":2019,\"document\":{seed}}}",
            $"{{\"agency\":\"{wusu}\",\"year\":2020,\"document\":{seed}}}",
            $"{{\"agency\":\"no-{wusu}\",\"year\":2020,\"document\":{seed}}}",
        ]);
        var (options, error) = SubmitOptions.Parse([file, "--api", "http://localhost", "--key", ApiFactory.AdminKey]);
        Assert.True(options is not null, error);
        var output = new StringWriter();

        var exit = await new SubmitRun(options!, api.CreateClient(), output).RunAsync();

        Assert.Equal(1, exit);
        Assert.Contains($"history.ndjson:3: 404 No agency with code 'no-{wusu}'", output.ToString());
        Assert.Contains("3 line(s): 2 created, 0 revised, 0 unchanged, 1 refused.", output.ToString());
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync($"/api/v1/agencies/{wusu}/reports/2019")).StatusCode);
    }

    [Theory]
    [InlineData(new[] { "--api", "http://localhost" }, "at least one file")]
    [InlineData(new[] { "x.txt" }, "--api")]
    [InlineData(new[] { "x.txt", "--api", "http://localhost", "--submit" }, "--key")]
    [InlineData(new[] { "x.txt", "--api", "http://localhost", "--year", "last" }, "--year")]
    [InlineData(new[] { "x.txt", "--api", "http://localhost", "--verbose" }, "Unknown option")]
    public void Wrong_usage_says_what_is_wrong(string[] args, string mentions)
    {
        var previous = Environment.GetEnvironmentVariable("AGGREGATOR_API_KEY");
        Environment.SetEnvironmentVariable("AGGREGATOR_API_KEY", null);
        try
        {
            var (options, error) = ImportOptions.Parse(args);

            Assert.Null(options);
            Assert.Contains(mentions, error);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AGGREGATOR_API_KEY", previous);
        }
    }
}
