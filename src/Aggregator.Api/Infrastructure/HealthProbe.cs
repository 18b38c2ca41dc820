namespace Aggregator.Api.Infrastructure;

/// <summary>
/// <c>Aggregator.Api probe [URL]</c>: asks a running instance whether it is ready and exits 0 (ready) or 1, for a
/// container's HEALTHCHECK where the ASP.NET runtime image has no curl or wget. The URL defaults to /health/ready on
/// the first of ASPNETCORE_HTTP_PORTS (the runtime image sets 8080) on loopback. Nothing but the one request.
/// </summary>
public static class HealthProbe
{
    public const string Command = "probe";

    public static async Task<int> RunAsync(string[] arguments, TextWriter output)
    {
        var url = arguments.Length > 0 ? arguments[0] : DefaultUrl();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(url);
            await output.WriteLineAsync($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            await output.WriteLineAsync($"{url}: {e.Message}");
            return 1;
        }
    }

    private static string DefaultUrl()
    {
        var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS");
        var port = ports?.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "8080";
        return $"http://127.0.0.1:{port}/health/ready";
    }
}
