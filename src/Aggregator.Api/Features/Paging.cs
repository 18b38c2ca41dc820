namespace Aggregator.Api.Features;

/// <summary>One page of a list: the items, where the page is, and how many items there are in all.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>Page parameters are clamped, not rejected: page ≥ 1, 1 ≤ pageSize ≤ 1000, default 100.</summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int DefaultSize = 100;
    public const int MaxSize = 1000;

    public static PageRequest Of(int? page, int? pageSize) =>
        new(Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? DefaultSize, 1, MaxSize));

    public int Skip => (Page - 1) * PageSize;
}
