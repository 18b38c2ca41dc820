using System.Globalization;

namespace Aggregator.Scale;

/// <summary>The command line: a subcommand, then <c>--name value</c> pairs and <c>--flag</c>s.</summary>
public sealed class Options
{
    private readonly Dictionary<string, string?> values = new(StringComparer.Ordinal);

    public Options(IEnumerable<string> arguments)
    {
        var list = arguments.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Unexpected argument '{list[i]}'.");
            }
            var name = list[i][2..];
            var hasValue = i + 1 < list.Count && !list[i + 1].StartsWith("--", StringComparison.Ordinal);
            values[name] = hasValue ? list[++i] : null;
        }
    }

    public bool Has(string name) => values.ContainsKey(name);

    public string Text(string name) => values.TryGetValue(name, out var value) && value is not null
        ? value : throw new UsageException($"--{name} is required.");

    public string? TextOrNull(string name) => values.GetValueOrDefault(name);

    public long Number(string name, long? fallback = null)
    {
        var text = values.GetValueOrDefault(name);
        if (text is null)
        {
            return fallback ?? throw new UsageException($"--{name} is required.");
        }
        // 10k, 100k, 1M are accepted as well as plain numbers.
        var multiplier = text[^1] switch { 'k' or 'K' => 1_000L, 'm' or 'M' => 1_000_000L, _ => 1L };
        var digits = multiplier == 1 ? text : text[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n * multiplier : throw new UsageException($"--{name} must be a number, not '{text}'.");
    }
}

public sealed class UsageException(string message) : Exception(message);
