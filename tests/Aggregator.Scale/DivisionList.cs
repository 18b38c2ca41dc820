namespace Aggregator.Scale;

/// <summary>A GB/T 2260 division as the API ships it (divisions.csv: code,name,level,parent,province,prefecture).</summary>
public sealed record Division(string Code, string Name, string Level, string? Parent, string Province, string Prefecture);

public static class DivisionList
{
    /// <summary>The API's own list, copied beside the program at build time.</summary>
    public static IReadOnlyList<Division> Load(string? path = null)
    {
        path ??= Path.Combine(AppContext.BaseDirectory, "divisions.csv");
        return File.ReadLines(path)
            .Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(','))
            .Select(f => new Division(f[0], f[1], f[2], f[3].Length == 0 ? null : f[3], f[4], f[5]))
            .ToArray();
    }
}
