using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Aggregator.Api.Infrastructure.Csv;

/// <summary>A column of a CSV export: its code (the JSON property) and its Chinese header for <c>labels=zh</c>.</summary>
public sealed record CsvColumn(string Code, string Zh);

/// <summary>
/// A CSV answer, written row by row to the response as the rows arrive (<c>text/csv; charset=utf-8</c>, one header row).
/// An endpoint that may return it is marked with <see cref="ProducesCsvMetadata"/>, which puts text/csv beside JSON
/// in the OpenAPI document.
/// </summary>
public sealed class CsvResult(string fileName, IReadOnlyList<CsvColumn> columns, HeaderLabels labels, IAsyncEnumerable<IEnumerable<string?>> rows)
    : IResult, IEndpointMetadataProvider
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

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => builder.Metadata.Add(new ProducesCsvMetadata());
}

/// <summary>
/// The endpoint's 200 may be text/csv as well as JSON. Not a produces-response-type metadata: a second one for 200
/// would replace the JSON schema in the OpenAPI document rather than add to it.
/// </summary>
public sealed class ProducesCsvMetadata;
