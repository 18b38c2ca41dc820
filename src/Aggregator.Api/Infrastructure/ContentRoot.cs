namespace Aggregator.Api.Infrastructure;

/// <summary>
/// Where the service finds its appsettings files. ASP.NET Core takes the current directory, which is right for
/// <c>dotnet run</c> and a service started in its folder; started from anywhere else (<c>dotnet /opt/aggregator/Aggregator.Api.dll</c>
/// from a home directory) it would silently run without its settings. Then the folder of the executable is used instead.
/// An explicitly configured content root (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>) always wins.
/// </summary>
public static class ContentRoot
{
    private const string Settings = "appsettings.json";

    /// <summary>The content root to use, or null for ASP.NET Core's own choice.</summary>
    public static string? Choose(string[] args)
    {
        var configured = args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase))
                         || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
                         || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        if (configured || File.Exists(Path.Combine(Directory.GetCurrentDirectory(), Settings)) || !File.Exists(Path.Combine(AppContext.BaseDirectory, Settings)))
        {
            return null;
        }
        return AppContext.BaseDirectory;
    }
}
