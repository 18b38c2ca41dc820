namespace Aggregator.Api.Infrastructure.Csv;

/// <summary>A column of a CSV export: its code (the JSON property) and its Chinese header for <c>labels=zh</c>.</summary>
public sealed record CsvColumn(string Code, string Zh);

/// <summary>
/// A CSV answer, written row by row to the response as the rows arrive (<c>text/csv; charset=utf-8</c>, one header row).
/// The contract lists it on the CSV twins of queries only (<see cref="CsvExport"/>).
/// </summary>
public sealed class CsvResult(string fileName, IReadOnlyList<CsvColumn> columns, HeaderLabels labels, IAsyncEnumerable<IEnumerable<string?>> rows)
    : IResult
{
    public const string ContentType = "text/csv; charset=utf-8";

    public CsvResult(string fileName, IReadOnlyList<CsvColumn> columns, HeaderLabels labels, IEnumerable<IEnumerable<string?>> rows)
        : this(fileName, columns, labels, rows.ToAsyncEnumerable())
    {
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = ContentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        var cancellationToken = httpContext.RequestAborted;
        await using var csv = await CsvWriter.StartAsync(response.Body, cancellationToken);
        await csv.WriteRowAsync(columns.Select(c => labels == HeaderLabels.Zh ? c.Zh : c.Code));
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await csv.WriteRowAsync(row);
        }
    }
}
