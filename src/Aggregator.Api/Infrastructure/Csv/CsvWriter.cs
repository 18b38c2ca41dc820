using System.Buffers;
using System.Globalization;
using System.Text;
using Aggregator.Domain;

namespace Aggregator.Api.Infrastructure.Csv;

/// <summary>
/// Writes RFC 4180 CSV: UTF-8 with a byte order mark (without it Excel reads Chinese text as the ANSI code page),
/// CRLF line ends, a field quoted only when it holds a comma, quote, CR or LF. Numbers are invariant and unformatted;
/// null is an empty field, so a blank cell stays distinguishable from 0.
/// <para>
/// Against CSV injection (OWASP), a field that begins with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR is
/// written with a leading <c>'</c>, so a spreadsheet shows it as text instead of evaluating it as a formula; agency
/// names are free text. A field that is a number in the form this writer gives numbers (<c>-3</c>, <c>-0.5</c>:
/// optional minus, digits, optional decimals) is left as it is: a spreadsheet reads it as a number, never a formula,
/// and the 2019 edition's <c>itemsChange</c> may be negative.
/// </para>
/// </summary>
public sealed class CsvWriter : IAsyncDisposable
{
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");
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
            await writer.WriteAsync(Quote(Neutralise(field)));
        }
        await writer.WriteAsync("\r\n");
    }

    /// <summary>The field with a leading <c>'</c> when a spreadsheet would read it as a formula (see the class comment).</summary>
    public static string? Neutralise(string? field) =>
        field is { Length: > 0 } && FormulaStarts.Contains(field[0]) && !IsPlainNumber(field) ? "'" + field : field;

    private static bool IsPlainNumber(string field)
    {
        var unsigned = field.AsSpan(field[0] == '-' ? 1 : 0);
        var point = unsigned.IndexOf('.');
        return point < 0 ? IsDigits(unsigned) : IsDigits(unsigned[..point]) && IsDigits(unsigned[(point + 1)..]);

        static bool IsDigits(ReadOnlySpan<char> text) => text.Length > 0 && !text.ContainsAnyExceptInRange('0', '9');
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
