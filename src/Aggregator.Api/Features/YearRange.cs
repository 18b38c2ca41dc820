namespace Aggregator.Api.Features;

/// <summary>Bounds on report years in queries: a range beyond them asks for nothing and only costs work.</summary>
public static class YearRange
{
    public const int Last = 2100;
}
