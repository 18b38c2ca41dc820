using System.Diagnostics;
using System.Text.RegularExpressions;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Tests.Infrastructure;
using Npgsql;

namespace Aggregator.Api.Tests.Deploy;

/// <summary>
/// The container build without a container engine: <c>deploy/Dockerfile</c> replayed on a clean <c>git archive</c> of
/// the repository (what is committed, plus uncommitted changes to tracked files) — restore and publish must succeed
/// from only the files its COPY steps take through <c>.dockerignore</c> — and the final stage's folder started as the
/// image would start it, with the environment <c>docker-compose.yml</c> gives it, until its own HEALTHCHECK passes.
/// And <c>docker-compose.yml</c> read against the app: every variable it sets is a setting the app reads, secrets have
/// no default, ports are on loopback and are the port the image listens on, health checks ask paths the app serves.
/// </summary>
public sealed class ContainerBuildTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load("docker-compose.yml");

    private static string Repository => ComposeFile.Repository;

    [Fact]
    public async Task The_Dockerfile_builds_from_only_what_it_copies_and_its_image_runs_as_a_non_root_user_that_passes_its_health_check()
    {
        var work = Path.Combine(Path.GetTempPath(), $"aggregator-image-{Guid.NewGuid():N}");
        try
        {
            var context = Path.Combine(work, "context");
            await Archive(context);
            var replay = new DockerfileReplay(context, "deploy/Dockerfile", Path.Combine(work, "stages"));
            await replay.RunAsync(TimeSpan.FromMinutes(8));

            // The restore saw only project files: no source, no build output from the machine.
            var projects = replay.Stages.Single(s => s.Name == "projects");
            Assert.Empty(Directory.EnumerateFiles(projects.Root, "*.cs", SearchOption.AllDirectories));
            Assert.Contains(Directory.EnumerateFiles(projects.Root, "*.csproj", SearchOption.AllDirectories), p => p.EndsWith("Aggregator.Importer.csproj"));
            Assert.False(Directory.Exists(Path.Combine(projects.Host("/src"), ".git")));

            var final = replay.Final;
            Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", final.Image);
            Assert.DoesNotMatch("^(root|0)(:|$)", replay.Last("USER") ?? "root");
            Assert.Equal("""["dotnet", "Aggregator.Api.dll"]""", replay.Last("ENTRYPOINT"));
            var dll = Path.Combine(final.Host(final.WorkDirectory), "Aggregator.Api.dll");
            Assert.True(File.Exists(dll), $"The final stage has no {final.WorkDirectory}/Aggregator.Api.dll.\n{replay.Log}");
            Assert.False(File.Exists(Path.Combine(final.Host(final.WorkDirectory), "Aggregator.Api.Tests.dll")));
            Assert.True(File.Exists(Path.Combine(final.Host(final.WorkDirectory), "wwwroot", "dashboard", "index.html")),
                $"The final stage has no dashboard (wwwroot/dashboard/index.html).\n{replay.Log}");
            var healthCheck = Exec(replay.Last("HEALTHCHECK") ?? throw new Xunit.Sdk.XunitException("The final stage has no HEALTHCHECK."));
            Assert.Equal(final.Environment["ASPNETCORE_HTTP_PORTS"], Assert.Single(Ports(replay.Last("EXPOSE"))));

            // Started as `docker compose up` would: the image's environment, then compose's, on a database of the test's.
            await using var database = await TestDatabase.CreateAsync();
            var port = ApiProcess.FreePort();
            var environment = new Dictionary<string, string>(final.Environment) { ["ASPNETCORE_HTTP_PORTS"] = port.ToString() };
            foreach (var (name, value) in Compose.Environment("api"))
            {
                environment[name] = ComposeFile.Substitute(value, ComposeFile.TestVariables);
            }
            environment["ConnectionStrings__Aggregator"] = database.ConnectionString;
            await using var api = ApiProcess.StartPublished(dll, environment, port);
            await api.WaitUntilReady(TimeSpan.FromSeconds(90));

            Assert.Equal(0, await RunInImage(final, healthCheck, environment));
            using (var browser = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") })
            {
                var dashboard = await browser.GetAsync("/dashboard/region/6542");
                Assert.Equal(System.Net.HttpStatusCode.OK, dashboard.StatusCode);
                Assert.Equal("text/html", dashboard.Content.Headers.ContentType?.MediaType);
            }
            var composeCheck = Compose.HealthCheck("api").Select(a => a.Replace(":8080/", $":{port}/")).ToArray();
            Assert.Equal("CMD", composeCheck[0]);
            Assert.Equal(0, await RunInImage(final, composeCheck[1..], environment));
            Assert.Equal(1, await RunInImage(final, [.. composeCheck[1..^1], $"http://127.0.0.1:{port}/health/missing"], environment));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public void Compose_sets_only_settings_the_app_reads_requires_its_secrets_and_publishes_the_image_port_on_loopback_only()
    {
        Assert.Equal(["api", "postgres"], Compose.Services().Order(StringComparer.Ordinal));
        foreach (var (name, value) in Compose.Environment("api"))
        {
            Assert.True(ComposeFile.IsSetting(name), $"docker-compose.yml sets {name}, which the app does not read.");
            Assert.DoesNotContain("change-me", value);
        }
        var api = Compose.Environment("api").ToDictionary(e => e.Name, e => e.Value);
        Assert.Matches(@"^\$\{AGGREGATOR_ADMIN_KEY:\?[^}]+\}$", api["Aggregator__AdminApiKey"]);
        Assert.Matches(@"^\$\{AGGREGATOR_LOAD_SAMPLES:-false\}$", api["Aggregator__LoadSampleData"]);
        var postgres = Compose.Environment("postgres").ToDictionary(e => e.Name, e => e.Value);
        Assert.Matches(@"^\$\{POSTGRES_PASSWORD:\?[^}]+\}$", postgres["POSTGRES_PASSWORD"]);

        // The connection string names the postgres service and what it creates.
        var connection = new NpgsqlConnectionStringBuilder(ComposeFile.Substitute(api["ConnectionStrings__Aggregator"], ComposeFile.TestVariables));
        Assert.Equal("postgres", connection.Host);
        Assert.Equal(postgres["POSTGRES_DB"], connection.Database);
        Assert.Equal(postgres["POSTGRES_USER"], connection.Username);
        Assert.Equal(ComposeFile.TestVariables["POSTGRES_PASSWORD"], connection.Password);

        // Ports: loopback only, onto the port the image listens on.
        var image = new DockerfileReplay(Repository, "deploy/Dockerfile", Path.GetTempPath());
        var listening = image.Final.Instructions.Where(i => i.Keyword == "ENV").SelectMany(i => DockerfileReplay.Assignments(i.Arguments))
            .Single(a => a.Name == "ASPNETCORE_HTTP_PORTS").Value;
        var ports = Compose.Sequence("api", "ports");
        Assert.NotEmpty(ports);
        foreach (var mapping in ports)
        {
            var parts = mapping.Split(':');
            Assert.True(parts.Length == 3 && parts[0] == "127.0.0.1", $"api publishes {mapping}: not on 127.0.0.1 only.");
            Assert.Equal(listening, parts[2]);
        }
        Assert.Empty(Compose.Sequence("postgres", "ports"));

        // Health: PostgreSQL's gates the API's start; the API's asks the readiness path the app maps.
        Assert.Contains("pg_isready", string.Join(' ', Compose.HealthCheck("postgres")));
        Assert.Equal("service_healthy", Compose.Scalar("api", "depends_on", "postgres", "condition"));
        var check = Compose.HealthCheck("api");
        Assert.Equal(["CMD", "dotnet", "Aggregator.Api.dll", HealthProbe.Command], check[..4]);
        Assert.Equal($"http://127.0.0.1:{listening}/health/ready", check[4]);
        Assert.NotEmpty(Compose.Sequence("postgres", "volumes"));
    }

    [Theory]
    [InlineData("src/Aggregator.Api/bin/Debug/x.dll", true)]
    [InlineData("tests/Aggregator.Api.Tests/obj/project.assets.json", true)]
    [InlineData(".git/config", true)]
    [InlineData("deploy/bench/results/national/summary.md", true)]
    [InlineData("docker-compose.yml", true)]
    [InlineData("src/Aggregator.Api/Program.cs", false)]
    [InlineData("src/Aggregator.Api/Aggregator.Api.csproj", false)]
    [InlineData("deploy/Dockerfile", false)]
    [InlineData("binary/readme.md", false)]
    [InlineData("src/Aggregator.Api/wwwroot/dashboard/index.html", true)]
    [InlineData("src/Aggregator.Dashboard/node_modules/vite/package.json", true)]
    [InlineData("src/Aggregator.Dashboard/src/main.ts", false)]
    public void The_dockerignore_keeps_build_output_and_history_out_of_the_context(string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.Load(Path.Combine(Repository, ".dockerignore")).Excludes(path));

    /// <summary>The exec form of CMD in a HEALTHCHECK: its arguments.</summary>
    private static string[] Exec(string healthCheck)
    {
        var match = Regex.Match(healthCheck, @"CMD\s+\[(?<args>.*)\]\s*$");
        Assert.True(match.Success, $"HEALTHCHECK is not in exec form: {healthCheck}");
        return Regex.Matches(match.Groups["args"].Value, "\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToArray();
    }

    private static IEnumerable<string> Ports(string? expose) => (expose ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('/')[0]);

    /// <summary>A command of the image run in its working folder with its environment (the dotnet host is the machine's).</summary>
    private static async Task<int> RunInImage(DockerStage stage, string[] command, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(command[0] == "dotnet" ? Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet" : command[0])
        {
            WorkingDirectory = stage.Host(stage.WorkDirectory),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    /// <summary>The repository as `git archive` gives it: committed files, with uncommitted changes to them.</summary>
    private static async Task Archive(string into)
    {
        Directory.CreateDirectory(into);
        var stash = (await Git("stash", "create")).Trim();
        var tar = Path.Combine(Path.GetDirectoryName(into)!, "context.tar");
        await Git("archive", "--format=tar", "-o", tar, stash.Length > 0 ? stash : "HEAD");
        var extract = Process.Start(new ProcessStartInfo("tar") { ArgumentList = { "-xf", tar, "-C", into } })!;
        await extract.WaitForExitAsync();
        Assert.Equal(0, extract.ExitCode);
    }

    private static async Task<string> Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Repository, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {errors}");
        return output;
    }

}
