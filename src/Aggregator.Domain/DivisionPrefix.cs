namespace Aggregator.Domain;

/// <summary>A filter on GB/T 2260 codes: a 2-, 4- or 6-digit prefix (province, prefecture, county).</summary>
public static class DivisionPrefix
{
    public const string Rule = "Must be a 2-, 4- or 6-digit prefix of a GB/T 2260 code: 65 (province), 6542 (prefecture), 654202 (county).";

    public static bool IsValid(string? prefix) => prefix is { Length: 2 or 4 or 6 } && prefix.All(char.IsAsciiDigit);

    /// <summary>True when the division code lies inside the prefix.</summary>
    public static bool Contains(string prefix, string divisionCode) => divisionCode.StartsWith(prefix, StringComparison.Ordinal);
}
