namespace Aggregator.Api.Infrastructure.Csv;

/// <summary>
/// The CSV twin of a JSON query: <c>GET /api/v1/rollups.csv</c> beside <c>GET /api/v1/rollups</c>, the same parameters
/// and the same answer as text/csv. A separate operation so that each operation's 200 has one media type (a client
/// generated from the contract types its JSON answers as JSON, not as JSON-or-text); <c>format=csv</c> on the JSON
/// operation still answers CSV for the clients that use it.
/// </summary>
public static class CsvExport
{
    /// <summary>The path of a JSON operation's CSV twin.</summary>
    public static string PathOf(string jsonPath) => jsonPath + ".csv";

    public static RouteHandlerBuilder AsCsvExport(this RouteHandlerBuilder builder, string name, string summary) => builder
        .WithName(name)
        .WithSummary(summary)
        .WithDescription("The same query as the JSON operation, answered as CSV (UTF-8 with a BOM; labels=zh for Chinese headers). " +
                         "Every matching row, streamed: no paging.")
        .WithMetadata(new CsvExportMetadata());
}

/// <summary>Marks the CSV twin of a query: its 200 is text/csv only (see <see cref="CsvExport"/>).</summary>
public sealed class CsvExportMetadata;
