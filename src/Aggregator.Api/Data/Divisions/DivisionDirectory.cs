using System.Collections.Frozen;

namespace Aggregator.Api.Data.Divisions;

/// <summary>The shipped division list in memory, for names and validation without a database round trip.</summary>
public static class DivisionDirectory
{
    private static readonly Lazy<FrozenDictionary<string, Division>> divisions =
        new(() => DivisionList.Read().ToFrozenDictionary(d => d.Code));

    public static Division? Find(string? code) => code is null ? null : divisions.Value.GetValueOrDefault(code);

    public static string? NameOf(string? code) => Find(code)?.Name;
}
