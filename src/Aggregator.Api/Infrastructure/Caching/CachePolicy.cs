using Aggregator.Domain;

namespace Aggregator.Api.Infrastructure.Caching;

/// <summary>
/// How long a GET answer may be cached. A request that names only settled years (<see cref="ReportYears.IsSettled"/>:
/// <c>year</c>, or a <c>yearTo</c>, in the route or query) may be cached for a day; everything else for a minute.
/// Corrections of settled years still happen, which is why the tag, not the age, is what keeps clients right: a
/// revalidation answers 304 or the new data.
/// </summary>
public sealed class CachePolicy(TimeProvider time)
{
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Long = TimeSpan.FromDays(1);

    public TimeSpan MaxAge(HttpRequest request)
    {
        var named = new List<string?>();
        named.AddRange(request.Query["year"]);
        named.AddRange(request.Query["yearTo"]);
        if (request.RouteValues.TryGetValue("year", out var routeYear))
        {
            named.Add(routeYear?.ToString());
        }
        if (named.Count == 0)
        {
            return Short;
        }
        var now = time.GetUtcNow();
        return named.All(y => int.TryParse(y, out var year) && ReportYears.IsSettled(year, now)) ? Long : Short;
    }
}
