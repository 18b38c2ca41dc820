namespace Aggregator.Api.Infrastructure.Caching;

/// <summary>
/// How long a GET answer may be cached. Reports of year N are due in the first months of N+1; we treat a year as
/// <b>settled</b> once it is two or more years back, or it is last year and 31 March (Beijing time) is past. A request
/// that names only settled years (<c>year</c>, or a <c>yearTo</c>, in the route or query) may be cached for a day;
/// everything else for a minute. Corrections of settled years still happen, which is why the tag, not the age, is what
/// keeps clients right: a revalidation answers 304 or the new data.
/// </summary>
public sealed class CachePolicy(TimeProvider time)
{
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Long = TimeSpan.FromDays(1);

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public bool IsSettled(int year)
    {
        var today = time.GetUtcNow().ToOffset(Beijing);
        return year <= today.Year - 2 || (year == today.Year - 1 && today.Month > 3);
    }

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
        return named.All(y => int.TryParse(y, out var year) && IsSettled(year)) ? Long : Short;
    }
}
