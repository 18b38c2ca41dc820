namespace Aggregator.Domain;

public static class Numbers
{
    /// <summary>The value without trailing zeros (10.000000 → 10, 1.50 → 1.5): one written form per number.</summary>
    public static decimal Canonical(decimal value) => value / 1.000000000000000000000000000000000m;
}
