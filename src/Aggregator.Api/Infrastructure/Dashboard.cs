using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Api.Infrastructure;

/// <summary>
/// The reference dashboard at <c>/dashboard</c>: the static files Vite builds from <c>src/Aggregator.Dashboard</c> into
/// <c>wwwroot/dashboard</c> (copied beside the executable by the build and by publish). Hashed assets are cached for a
/// year; <c>index.html</c>, which names them, is revalidated on every load; any other path under <c>/dashboard</c> without a
/// file extension is a client route and gets <c>index.html</c>. The files are public like the reports: with
/// <c>RequireKeyForReads</c> the dashboard asks for a key and sends it with its API requests.
/// </summary>
public static class Dashboard
{
    public const string Path = "/dashboard";

    private const string Immutable = "public, max-age=31536000, immutable";
    private const string Revalidate = "no-cache";

    /// <summary>The folder holding the built dashboard: under the web root, else beside the executable; null when not built.</summary>
    public static string? Folder(IWebHostEnvironment environment) =>
        new[]
            {
                System.IO.Path.Combine(environment.WebRootPath ?? System.IO.Path.Combine(environment.ContentRootPath, "wwwroot"), "dashboard"),
                System.IO.Path.Combine(AppContext.BaseDirectory, "wwwroot", "dashboard"),
            }
            .FirstOrDefault(folder => File.Exists(System.IO.Path.Combine(folder, "index.html")));

    /// <summary>Serves the built files; before routing, so that no endpoint shadows them.</summary>
    public static IApplicationBuilder UseDashboardFiles(this WebApplication app)
    {
        if (Folder(app.Environment) is not { } folder)
        {
            return app;
        }
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(folder),
            RequestPath = Path,
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl =
                file.Context.Request.Path.StartsWithSegments($"{Path}/assets") ? Immutable : Revalidate,
        });
    }

    /// <summary>Client routes (<c>/dashboard/region/6542</c>) answer index.html; a missing asset is a 404.</summary>
    public static void MapDashboard(this WebApplication app)
    {
        var folder = Folder(app.Environment);
        app.MapGet($"{Path}/{{**route}}", (HttpContext http, string? route) =>
            {
                if (folder is null)
                {
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "The dashboard is not built.",
                        detail: "Build it with `npm ci && npm run build` in src/Aggregator.Dashboard, or `dotnet build` (without -p:BuildDashboard=false).");
                }
                if (route is not null && System.IO.Path.HasExtension(route))
                {
                    return Results.NotFound();
                }
                http.Response.Headers.CacheControl = Revalidate;
                return Results.File(System.IO.Path.Combine(folder, "index.html"), "text/html; charset=utf-8");
            })
            .ExcludeFromDescription();
    }
}
