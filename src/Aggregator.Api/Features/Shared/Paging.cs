using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Shared;

/// <summary>Where a page is in its list, whatever its items.</summary>
public interface IPage
{
    int Page { get; }
    int PageSize { get; }
    int Total { get; }
}

/// <summary>One page of a list: the items, where the page is, and how many items there are in all.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total) : IPage;

/// <summary>Page parameters are clamped, not rejected: 1 ≤ page ≤ 1,000,000, 1 ≤ pageSize ≤ 1000, default 100.</summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int DefaultSize = 100;
    public const int MaxSize = 1000;
    public const int MaxPage = 1_000_000;

    public static PageRequest Of(int? page, int? pageSize) =>
        new(Math.Clamp(page ?? 1, 1, MaxPage), Math.Clamp(pageSize ?? DefaultSize, 1, MaxSize));

    public int Skip => (Page - 1) * PageSize;
}

/// <summary>
/// RFC 8288 <c>Link</c> header (first, prev, next, last) on every answer that is a page of a list. Applied once to the
/// whole API: it acts on any endpoint whose result is a <see cref="Paged{T}"/>. The links repeat the request's own
/// query with the clamped page and pageSize.
/// </summary>
public sealed class PageLinks : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var value = result is INestedHttpResult nested ? nested.Result : result;
        if (value is IValueHttpResult { Value: IPage page })
        {
            context.HttpContext.Response.Headers.Link = Header(context.HttpContext.Request, page);
        }
        return result;
    }

    public static string Header(HttpRequest request, IPage page)
    {
        var last = Math.Max(1, (page.Total + page.PageSize - 1) / page.PageSize);
        var links = new List<string> { Link(request, 1, page.PageSize, "first") };
        if (page.Page > 1)
        {
            links.Add(Link(request, Math.Min(page.Page - 1, last), page.PageSize, "prev"));
        }
        if (page.Page < last)
        {
            links.Add(Link(request, page.Page + 1, page.PageSize, "next"));
        }
        links.Add(Link(request, last, page.PageSize, "last"));
        return string.Join(", ", links);
    }

    private static string Link(HttpRequest request, int number, int size, string rel)
    {
        var query = new QueryBuilder(request.Query
            .Where(p => p.Key is not ("page" or "pageSize"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))))
        {
            { "page", number.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            { "pageSize", size.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        return $"<{request.PathBase}{request.Path}{query}>; rel=\"{rel}\"";
    }
}

/// <summary>
/// The answer to a list query that can also export: one page (JSON), or, when the query asks for CSV, every matching
/// item, read from the database as it is written out.
/// </summary>
public sealed record Listing<T>(Paged<T>? Page, IAsyncEnumerable<T>? All)
{
    public static async Task<Listing<T>> Of(IQueryable<T> items, PageRequest page, bool all, CancellationToken cancellationToken)
    {
        if (all)
        {
            return new Listing<T>(null, items.AsAsyncEnumerable());
        }
        var total = await items.CountAsync(cancellationToken);
        var list = await items.Skip(page.Skip).Take(page.PageSize).ToListAsync(cancellationToken);
        return new Listing<T>(new Paged<T>(list, page.Page, page.PageSize, total), null);
    }
}
