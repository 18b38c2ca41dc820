using System.Net.Sockets;
using System.Text;

namespace Aggregator.Api.Tests.Platform.Fuzz;

/// <summary>
/// One HTTP/1.1 request exactly as the fuzz sends it: the bytes of its head are written as they are, so a request line
/// or header that no HTTP client library would send (raw non-UTF-8 bytes, CRLF inside a value, a made-up method, two
/// Content-Length headers) reaches Kestrel.
/// </summary>
/// <param name="Index">Its number in the run: with the seed it reproduces the request.</param>
/// <param name="Operation">The OpenAPI operation it was made from (operationId), or a name for requests to no operation.</param>
/// <param name="Mutations">What was changed from a valid request; empty for a valid one.</param>
/// <param name="Protocol">Malformed at the HTTP level: Kestrel may answer it itself, with no problem body.</param>
/// <param name="SameOperation">Method and path are the operation's (only its query, headers or body changed).</param>
public sealed record FuzzRequest(int Index, string Operation, string Method, string Target, byte[] Head, byte[] Body, IReadOnlyList<string> Mutations, bool Protocol,
    bool SameOperation = false)
{
    /// <summary>The request as text for a failure message: the head, and the start of the body.</summary>
    public string Describe(int bodyChars = 300)
    {
        var head = Encoding.UTF8.GetString(Head).Replace("\r\n", "\\r\\n\n    ").TrimEnd();
        var body = Body.Length == 0 ? "(no body)" : Printable(Body.AsSpan(0, Math.Min(Body.Length, bodyChars * 3)), bodyChars);
        return $"#{Index} {Operation} [{string.Join(", ", Mutations.DefaultIfEmpty("valid"))}]{(Protocol ? " (protocol)" : "")}\n    {Truncate(head, 700)}\n    body {Body.Length:N0} bytes: {body}";
    }

    private static string Truncate(string text, int chars) => text.Length <= chars ? text : text[..chars] + $"… ({text.Length:N0} chars)";

    private static string Printable(ReadOnlySpan<byte> bytes, int chars)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var builder = new StringBuilder();
        foreach (var c in text.Take(chars))
        {
            builder.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString());
        }
        return builder.ToString() + (text.Length > chars ? "…" : "");
    }
}

/// <summary>What came back: status, headers, and the body (the first <see cref="RawHttp.MaxKeptBody"/> bytes of it).</summary>
public sealed record FuzzResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, long BodyLength, bool Closes, TimeSpan Elapsed)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public string? MediaType => Header("Content-Type")?.Split(';')[0].Trim().ToLowerInvariant();

    public string Text => Encoding.UTF8.GetString(Body);

    public string Describe(int chars = 600)
    {
        var text = Text;
        return $"{Status} {MediaType ?? "(no content type)"} {BodyLength:N0} bytes in {Elapsed.TotalMilliseconds:0} ms: {(text.Length > chars ? text[..chars] + "…" : text)}";
    }
}

/// <summary>A keep-alive HTTP/1.1 connection to the API that writes raw request bytes and parses the answer.</summary>
public sealed class RawHttp(int port) : IAsyncDisposable
{
    /// <summary>How much of a body is kept; the rest is read and counted.</summary>
    public const int MaxKeptBody = 4 << 20;

    private TcpClient? client;
    private NetworkStream? stream;
    private readonly byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;

    public static byte[] Head(string method, string target, int port, IEnumerable<KeyValuePair<string, string>> headers, int? contentLength)
    {
        var text = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
        foreach (var (name, value) in headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        if (contentLength is { } length)
        {
            text.Append("Content-Length: ").Append(length).Append("\r\n");
        }
        return Encoding.UTF8.GetBytes(text.Append("\r\n").ToString());
    }

    /// <summary>
    /// Sends the request and reads its answer. The body is written while the answer is read, so an answer given before
    /// the whole body is sent (413 on Content-Length) is read rather than lost in a failed write. Throws on no answer.
    /// </summary>
    public async Task<FuzzResponse> SendAsync(FuzzRequest request, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var token = cancellation.Token;
        if (stream is null)
        {
            client = new TcpClient { NoDelay = true };
            await client.ConnectAsync("127.0.0.1", port, token);
            stream = client.GetStream();
            start = end = 0;
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var connection = stream;
        var send = Task.Run(async () =>
        {
            await connection.WriteAsync(request.Head, token);
            for (var at = 0; at < request.Body.Length; at += 64 * 1024)
            {
                await connection.WriteAsync(request.Body.AsMemory(at, Math.Min(64 * 1024, request.Body.Length - at)), token);
            }
            await connection.FlushAsync(token);
        }, token);
        try
        {
            var response = await ReadResponseAsync(request.Method, watch, token);
            if (!send.IsCompleted || response.Closes || request.Protocol)
            {
                Close(); // an unsent rest of the body, or a connection the server gives up, is not reused
            }
            try
            {
                await send;
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server answered before it took the whole body.
            }
            return response;
        }
        catch
        {
            Close();
            try
            {
                await send;
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
            throw;
        }
    }

    private async Task<FuzzResponse> ReadResponseAsync(string method, System.Diagnostics.Stopwatch watch, CancellationToken token)
    {
        while (true)
        {
            var statusLine = await ReadLineAsync(token) ?? throw new IOException("The connection closed before any answer.");
            var parts = statusLine.Split(' ', 3);
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(parts[1], out var status))
            {
                throw new IOException($"Not an HTTP status line: {statusLine}");
            }
            var headers = new List<KeyValuePair<string, string>>();
            while (await ReadLineAsync(token) is { Length: > 0 } line)
            {
                var colon = line.IndexOf(':');
                if (colon <= 0)
                {
                    throw new IOException($"Not a header line: {line}");
                }
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
            if (status is >= 100 and < 200)
            {
                continue; // 100 Continue: the answer follows
            }
            string? Find(string name) => headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            var closes = string.Equals(Find("Connection"), "close", StringComparison.OrdinalIgnoreCase);
            var body = new MemoryStream();
            long length = 0;
            if (method == "HEAD" || status is 204 or 304)
            {
            }
            else if (Find("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
            {
                while (true)
                {
                    var sizeLine = await ReadLineAsync(token) ?? throw new IOException("The connection closed inside a chunked body.");
                    var size = Convert.ToInt64(sizeLine.Split(';')[0].Trim(), 16);
                    if (size == 0)
                    {
                        while (await ReadLineAsync(token) is { Length: > 0 })
                        {
                        }
                        break;
                    }
                    length += await ReadExactAsync(size, body, token);
                    if (await ReadLineAsync(token) is not "")
                    {
                        throw new IOException("A chunk not followed by CRLF.");
                    }
                }
            }
            else if (Find("Content-Length") is { } contentLength)
            {
                length = await ReadExactAsync(long.Parse(contentLength), body, token);
            }
            else
            {
                length = await ReadToEndAsync(body, token);
                closes = true;
            }
            return new FuzzResponse(status, headers, body.ToArray(), length, closes, watch.Elapsed);
        }
    }

    private async Task<bool> FillAsync(CancellationToken token)
    {
        if (start == end)
        {
            start = end = 0;
        }
        if (end == buffer.Length)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        var read = await stream!.ReadAsync(buffer.AsMemory(end), token);
        end += read;
        return read > 0;
    }

    private async Task<string?> ReadLineAsync(CancellationToken token)
    {
        while (true)
        {
            var at = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (at >= 0)
            {
                var line = Encoding.Latin1.GetString(buffer, start, at - start).TrimEnd('\r');
                start = at + 1;
                return line;
            }
            if (end - start == buffer.Length)
            {
                throw new IOException("A line of the answer longer than 64 KiB.");
            }
            if (!await FillAsync(token))
            {
                return null;
            }
        }
    }

    private async Task<long> ReadExactAsync(long count, MemoryStream into, CancellationToken token)
    {
        var left = count;
        while (left > 0)
        {
            if (start == end && !await FillAsync(token))
            {
                throw new IOException($"The connection closed {left} bytes before the end of the body.");
            }
            var take = (int)Math.Min(left, end - start);
            Keep(into, take);
            left -= take;
        }
        return count;
    }

    private async Task<long> ReadToEndAsync(MemoryStream into, CancellationToken token)
    {
        long total = 0;
        while (start < end || await FillAsync(token))
        {
            total += end - start;
            Keep(into, end - start);
        }
        return total;
    }

    private void Keep(MemoryStream into, int count)
    {
        var keep = (int)Math.Min(count, Math.Max(0, MaxKeptBody - into.Length));
        into.Write(buffer, start, keep);
        start += count;
    }

    private void Close()
    {
        stream?.Dispose();
        client?.Dispose();
        stream = null;
        client = null;
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
