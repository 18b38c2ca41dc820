namespace Aggregator.Api.Features.Shared;

/// <summary>A list-valued query parameter: repeated (<c>metric=a&amp;metric=b</c>) or comma-separated (<c>metric=a,b</c>).</summary>
public static class QueryList
{
    public static IEnumerable<string> Items(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
