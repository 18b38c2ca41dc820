using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Shared;

/// <summary>Where a page is in its list, whatever its items.</summary>
public interface IPage
{
    int? Page { get; }
    int PageSize { get; }
    int? Total { get; }
    string? Next { get; }
}

/// <summary>
/// One page of a list. Walked by cursor (no <c>page</c> parameter) a page costs the same at any depth and
/// <c>page</c> and <c>total</c> are null; asked for by number (<c>page=N</c>) it also counts every item, and costs more
/// the deeper it is.
/// </summary>
/// <param name="Page">The page number when paging by number; null when walking by cursor.</param>
/// <param name="Total">How many items match, counted when paging by number; null when walking by cursor (counting is a read of every matching item).</param>
/// <param name="Next">The cursor of the page after this one (give it as cursor=…; the Link header's rel="next" carries it); null on the last page.</param>
public sealed record Paged<T>(IReadOnlyList<T> Items, int? Page, int PageSize, int? Total, string? Next) : IPage
{
    public Paged<TOut> Map<TOut>(Func<T, TOut> map) => new(Items.Select(map).ToArray(), Page, PageSize, Total, Next);
}

/// <summary>A list query: its <c>page</c>, <c>pageSize</c> and <c>cursor</c> parameters (see <see cref="PageRequest"/>).</summary>
public interface IPagedQuery
{
    int? Page { get; }
    int? PageSize { get; }
    string? Cursor { get; }
}

public static class PagedQuery
{
    public static PageRequest PageRequest(this IPagedQuery query) => Shared.PageRequest.Of(query.Page, query.PageSize, query.Cursor);
}

/// <summary>
/// The page parameters of a list query. <c>pageSize</c> is clamped, not rejected: 1–1000, default 100. With no
/// <c>page</c> the list is walked by cursor (<see cref="Cursor"/> null: from the start); with one it is the numbered
/// page, clamped to 1–1,000,000.
/// </summary>
public readonly record struct PageRequest(int? Number, int PageSize, string? Cursor)
{
    public const int DefaultSize = 100;
    public const int MaxSize = 1000;
    public const int MaxPage = 1_000_000;

    public static PageRequest Of(int? page, int? pageSize, string? cursor = null) =>
        new(page is { } n ? Math.Clamp(n, 1, MaxPage) : null, Math.Clamp(pageSize ?? DefaultSize, 1, MaxSize), string.IsNullOrEmpty(cursor) ? null : cursor);

    /// <summary>
    /// One page of <paramref name="list"/>: <c>list(null)</c> is every item in the list's order, <c>list(key)</c> the
    /// items after <c>key</c> in that order (the keyset condition, which an index on the sort key answers as a range).
    /// By number: a count and OFFSET, as the client asked. By cursor: the items after the cursor's key, one more than the
    /// page to know whether there is a next, and no count.
    /// </summary>
    public async Task<Paged<T>> ReadAsync<T, TKey>(PageCursor<TKey> order, Func<TKey?, IQueryable<T>> list, Func<T, TKey> keyOf,
        CancellationToken cancellationToken) where TKey : class, ICursorKey<TKey>
    {
        if (Number is { } number)
        {
            var all = list(null);
            var total = await all.CountAsync(cancellationToken);
            var items = await all.Skip((number - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
            var more = items.Count == PageSize && (long)number * PageSize < total;
            return new Paged<T>(items, number, PageSize, total, more ? order.Encode(keyOf(items[^1])) : null);
        }
        var rows = await list(order.Read(Cursor)).Take(PageSize + 1).ToListAsync(cancellationToken);
        var page = rows.Count > PageSize ? rows.GetRange(0, PageSize) : rows;
        return new Paged<T>(page, null, PageSize, null, rows.Count > PageSize ? order.Encode(keyOf(page[^1])) : null);
    }
}

/// <summary>
/// RFC 8288 <c>Link</c> header on every answer that is a page of a list. Applied once to the whole API: it acts on any
/// endpoint whose result is a <see cref="Paged{T}"/>. The links repeat the request's own query (its filters) with the
/// page parameters replaced: walked by cursor, <c>first</c> (no cursor) and <c>next</c> (the next page's cursor);
/// by number, <c>first</c>, <c>prev</c>, <c>next</c> and <c>last</c> by number, with the clamped page and pageSize.
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
        if (page.Page is not { } number)
        {
            var links = new List<string> { Link(request, "first", ("pageSize", Text(page.PageSize))) };
            if (page.Next is { } cursor)
            {
                links.Add(Link(request, "next", ("pageSize", Text(page.PageSize)), ("cursor", cursor)));
            }
            return string.Join(", ", links);
        }
        var total = page.Total ?? 0;
        var last = Math.Max(1, (total + page.PageSize - 1) / page.PageSize);
        var numbered = new List<string> { Numbered(request, 1, page.PageSize, "first") };
        if (number > 1)
        {
            numbered.Add(Numbered(request, Math.Min(number - 1, last), page.PageSize, "prev"));
        }
        if (number < last)
        {
            numbered.Add(Numbered(request, number + 1, page.PageSize, "next"));
        }
        numbered.Add(Numbered(request, last, page.PageSize, "last"));
        return string.Join(", ", numbered);
    }

    private static string Numbered(HttpRequest request, int number, int size, string rel) =>
        Link(request, rel, ("page", Text(number)), ("pageSize", Text(size)));

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Link(HttpRequest request, string rel, params (string Name, string Value)[] paging)
    {
        var query = new QueryBuilder(request.Query
            .Where(p => p.Key is not ("page" or "pageSize" or "cursor"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? ""))));
        foreach (var (name, value) in paging)
        {
            query.Add(name, value);
        }
        return $"<{request.PathBase}{request.Path}{query}>; rel=\"{rel}\"";
    }
}

/// <summary>
/// The answer to a list query that can also export: one page (JSON), or, when the query asks for CSV, every matching
/// item, read from the database as it is written out (page, pageSize and cursor do not apply).
/// </summary>
public sealed record Listing<T>(Paged<T>? Page, IAsyncEnumerable<T>? All)
{
    public static async Task<Listing<T>> Of<TKey>(PageRequest page, PageCursor<TKey> order, Func<TKey?, IQueryable<T>> list, Func<T, TKey> keyOf,
        bool all, CancellationToken cancellationToken) where TKey : class, ICursorKey<TKey> =>
        all
            ? new Listing<T>(null, list(null).AsAsyncEnumerable())
            : new Listing<T>(await page.ReadAsync(order, list, keyOf, cancellationToken), null);

    public Listing<TOut> Map<TOut>(Func<T, TOut> map) => new(Page?.Map(map), All?.Select(map));
}
