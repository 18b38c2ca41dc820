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
        return ValueTask.FromResult<ReportLines?>(new ReportLines(request.BodyReader));
    }

    /// <summary>One line: its number (from 1) and its bytes, or why it cannot be read.</summary>
    public readonly record struct Line(int Number, byte[]? Json, string? Refusal);

    /// <summary>The non-empty lines in order. Past a limit one last line says which, and reading stops.</summary>
    public async IAsyncEnumerable<Line> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long total = 0;
        var number = 0;
        var lines = 0;
        while (true)
        {
            var read = await body.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            while (TryTakeLine(ref buffer, out var line))
            {
                number++;
                total += line.Length + 1;
                if (total > MaxBytes)
                {
                    yield return new Line(number, null, $"The body passes {MaxBytes / 1024 / 1024} MiB here; the lines from {number} on were not read.");
                    yield break;
                }
                if (line.Length > MaxLineBytes)
                {
                    yield return new Line(number, null, $"Line {number} is over {MaxLineBytes / 1024} KiB; a report document is about 20 KiB.");
                    continue;
                }
                if (IsBlank(line))
                {
                    continue;
                }
                if (++lines > MaxLines)
                {
                    yield return new Line(number, null, $"At most {MaxLines} reports a request; the lines from {number} on were not read.");
                    yield break;
                }
                yield return new Line(number, line.ToArray(), null);
            }
            if (buffer.Length > MaxLineBytes)
            {
                yield return new Line(number + 1, null, $"Line {number + 1} is over {MaxLineBytes / 1024} KiB; the lines from it on were not read.");
                yield break;
            }
            if (read.IsCompleted)
            {
                if (!buffer.IsEmpty && !IsBlank(buffer))
                {
                    number++;
                    yield return ++lines > MaxLines
                        ? new Line(number, null, $"At most {MaxLines} reports a request; line {number} was not read.")
                        : new Line(number, buffer.ToArray(), null);
                }
                body.AdvanceTo(buffer.End);
                yield break;
            }
            body.AdvanceTo(buffer.Start, buffer.End);
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
