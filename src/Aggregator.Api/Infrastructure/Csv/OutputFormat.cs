using Microsoft.AspNetCore.Http.HttpResults;

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
    public bool IsCsv => Format == OutputFormat.Csv;

    /// <summary>Parses both parameters; null and the problem naming the field when either is unknown.</summary>
    public static Output? Parse(string? format, string? labels, out ValidationProblem? problem)
    {
        var errors = new Dictionary<string, string[]>();
        var parsedFormat = format?.ToLowerInvariant() switch
        {
            null or "" or "json" => OutputFormat.Json,
            "csv" => OutputFormat.Csv,
            _ => (OutputFormat?)null,
        };
        if (parsedFormat is null)
        {
            errors["format"] = [$"Unknown format '{format}'. Valid: json, csv."];
        }
        var parsedLabels = labels?.ToLowerInvariant() switch
        {
            null or "" or "codes" => HeaderLabels.Codes,
            "zh" => HeaderLabels.Zh,
            _ => (HeaderLabels?)null,
        };
        if (parsedLabels is null)
        {
            errors["labels"] = [$"Unknown labels '{labels}'. Valid: codes, zh (Chinese CSV headers)."];
        }
        problem = errors.Count > 0 ? TypedResults.ValidationProblem(errors, title: "The output format is invalid.") : null;
        return problem is null ? new Output(parsedFormat!.Value, parsedLabels!.Value) : null;
    }
}
