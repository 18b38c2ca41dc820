namespace Aggregator.Api.Infrastructure.Csv;

public enum OutputFormat
{
    Json,
    Csv,
}

/// <summary>The header row of a CSV export: codes (the JSON names) or Chinese labels.</summary>
public enum HeaderLabels
{
    Codes,
    Zh,
}

/// <summary>The <c>format</c> and <c>labels</c> query parameters of the endpoints that offer CSV.</summary>
public readonly record struct Output(OutputFormat Format, HeaderLabels Labels)
{
    public const string FormatRule = "Valid: json, csv.";
    public const string LabelsRule = "Valid: codes, zh (Chinese CSV headers).";

    public bool IsCsv => Format == OutputFormat.Csv;

    public static bool IsValidFormat(string? format) => ParseFormat(format) is not null;

    public static bool IsValidLabels(string? labels) => ParseLabels(labels) is not null;

    /// <summary>The output the parameters ask for; they must have been validated.</summary>
    public static Output Of(string? format, string? labels) =>
        new(ParseFormat(format) ?? throw new ArgumentException($"Unknown format '{format}'.", nameof(format)),
            ParseLabels(labels) ?? throw new ArgumentException($"Unknown labels '{labels}'.", nameof(labels)));

    private static OutputFormat? ParseFormat(string? format) => format?.ToLowerInvariant() switch
    {
        null or "" or "json" => OutputFormat.Json,
        "csv" => OutputFormat.Csv,
        _ => null,
    };

    private static HeaderLabels? ParseLabels(string? labels) => labels?.ToLowerInvariant() switch
    {
        null or "" or "codes" => HeaderLabels.Codes,
        "zh" => HeaderLabels.Zh,
        _ => null,
    };
}
