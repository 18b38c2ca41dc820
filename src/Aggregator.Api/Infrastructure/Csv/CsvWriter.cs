using System.Buffers;
using System.Globalization;
using System.Text;
using Aggregator.Domain;

namespace Aggregator.Api.Infrastructure.Csv;

/// <summary>
/// Writes RFC 4180 CSV: UTF-8 with a byte order mark (without it Excel reads Chinese text as the ANSI code page),
/// CRLF line ends, a field quoted only when it holds a comma, quote, CR or LF. Numbers are invariant and unformatted;
/// null is an empty field, so a blank cell stays distinguishable from 0.
/// </summary>
public sealed class CsvWriter : IAsyncDisposable
{
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");
    private readonly StreamWriter writer;

    private CsvWriter(Stream stream) =>
        writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true);

    /// <summary>A writer whose first bytes are the UTF-8 byte order mark.</summary>
    public static async Task<CsvWriter> StartAsync(Stream stream, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.Preamble.ToArray(), cancellationToken);
        return new CsvWriter(stream);
    }

    public async Task WriteRowAsync(IEnumerable<string?> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                await writer.WriteAsync(',');
            }
            first = false;
            await writer.WriteAsync(Quote(field));
        }
        await writer.WriteAsync("\r\n");
    }

    public static string Quote(string? field) =>
        field is null ? "" : field.AsSpan().ContainsAny(NeedsQuotes) ? $"\"{field.Replace("\"", "\"\"")}\"" : field;

    public static string? Format(decimal? value) => value is { } v ? Numbers.Canonical(v).ToString(CultureInfo.InvariantCulture) : null;

    public static string? Format(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static string Format(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await writer.FlushAsync();
        await writer.DisposeAsync();
    }
}
