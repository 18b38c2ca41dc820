using System.Buffers;
using System.IO.Pipelines;
using System.Reflection;
using Aggregator.Api.Infrastructure.Problems;

namespace Aggregator.Api.Features.Reports.SubmitReports;

/// <summary>
/// The body of a bulk submission: newline-delimited JSON, one <c>{"agency", "year", "document"}</c> a line, read line
/// by line as it arrives. Bounded: 64 MiB in all, 1 MiB a line, 10,000 lines; a body of another media type is 415.
/// </summary>
public sealed class ReportLines(PipeReader body) : IBindableFromHttpContext<ReportLines>
{
    public const long MaxBytes = 64L * 1024 * 1024;
    public const int MaxLineBytes = 1024 * 1024;
    public const int MaxLines = 10_000;
    public static readonly IReadOnlyList<string> MediaTypes = ["application/x-ndjson", "application/jsonl"];

    public static ValueTask<ReportLines?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var request = context.Request;
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is null || !MediaTypes.Contains(mediaType))
        {
            throw new UnsupportedMediaTypeException(
                $"Send the reports as application/x-ndjson, one {{\"agency\", \"year\", \"document\"}} a line; got '{request.ContentType ?? "no content type"}'.");
        }
        if (request.ContentLength > MaxBytes)
        {
            throw new PayloadTooLargeException($"A bulk submission is at most {MaxBytes / 1024 / 1024} MiB; send the rest in another.");
        }
        // The server's own limit (Kestrel: 30 MB) would cut a body this endpoint takes: its limits are counted while reading.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBytes + MaxLineBytes;
        }
        return ValueTask.FromResult<ReportLines?>(new ReportLines(request.BodyReader));
    }

    /// <summary>One line: its number (from 1) and its bytes, or why it cannot be read.</summary>
    public readonly record struct Line(int Number, byte[]? Json, string? Refusal);

    /// <summary>
    /// The non-empty lines in order. Past a limit one last line says which, and reading stops. The lines of each read
    /// are taken and the body advanced past them before any is handed out, so a reader that stops early (a fault in a
    /// line's handling, the client gone) never leaves the body in the middle of a read, which the server could then
    /// neither drain nor reuse.
    /// </summary>
    public async IAsyncEnumerable<Line> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long total = 0;
        var number = 0;
        var lines = 0;
        var taken = new List<Line>();
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            var last = false;
            while (!last && TryTakeLine(ref buffer, out var line))
            {
                number++;
                total += line.Length + 1;
                if (total > MaxBytes)
                {
                    taken.Add(new Line(number, null, $"The body passes {MaxBytes / 1024 / 1024} MiB here; the lines from {number} on were not read."));
                    last = true;
                }
                else if (line.Length > MaxLineBytes)
                {
                    taken.Add(new Line(number, null, $"Line {number} is over {MaxLineBytes / 1024} KiB; a report document is about 20 KiB."));
                }
                else if (IsBlank(line))
                {
                }
                else if (++lines > MaxLines)
                {
                    taken.Add(new Line(number, null, $"At most {MaxLines} reports a request; the lines from {number} on were not read."));
                    last = true;
                }
                else
                {
                    taken.Add(new Line(number, line.ToArray(), null));
                }
            }
            if (!last && buffer.Length > MaxLineBytes)
            {
                taken.Add(new Line(number + 1, null, $"Line {number + 1} is over {MaxLineBytes / 1024} KiB; the lines from it on were not read."));
                last = true;
            }
            if (!last && read.IsCompleted)
            {
                if (!buffer.IsEmpty && !IsBlank(buffer))
                {
                    number++;
                    taken.Add(++lines > MaxLines
                        ? new Line(number, null, $"At most {MaxLines} reports a request; line {number} was not read.")
                        : new Line(number, buffer.ToArray(), null));
                }
                last = true;
            }
            if (last)
            {
                body.AdvanceTo(buffer.End);
            }
            else
            {
                body.AdvanceTo(buffer.Start, buffer.End);
            }
            foreach (var line in taken)
            {
                yield return line;
            }
            taken.Clear();
            if (last)
            {
                yield break;
            }
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        if (buffer.PositionOf((byte)'\n') is not { } end)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, end);
        buffer = buffer.Slice(buffer.GetPosition(1, end));
        return true;
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
