using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Aggregator.Api.Infrastructure.Caching;

/// <summary>
/// Entity tags and Cache-Control for every successful GET under /api/v1. The tag is the SHA-256 of the body, so it
/// changes exactly when what the client would receive changes. The body (JSON or CSV) is spooled while it is written
/// (in memory up to 256 KiB, then to a temporary file) so the tag can go in the headers before it, and
/// <c>If-None-Match</c> answers 304 with no body. An endpoint that sets its own tag (a report: its content hash) keeps it.
/// </summary>
public sealed class ConditionalGet(RequestDelegate next, CachePolicy policy)
{
    private const int MemoryThreshold = 256 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await next(context);
            return;
        }
        var response = context.Response;
        if (context.GetEndpoint()?.Metadata.GetMetadata<OwnsEntityTagMetadata>() is not null)
        {
            response.OnStarting(() =>
            {
                SetCacheControl(context);
                return Task.CompletedTask;
            });
            await next(context);
            return;
        }
        var original = response.Body;
        await using var spool = new FileBufferingWriteStream(MemoryThreshold);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        response.Body = new HashingStream(spool, hash);
        try
        {
            await next(context);
            await response.BodyWriter.FlushAsync(context.RequestAborted);
        }
        finally
        {
            response.Body = original;
        }

        SetCacheControl(context);
        if (response.StatusCode == StatusCodes.Status200OK)
        {
            if (string.IsNullOrEmpty(response.Headers.ETag))
            {
                response.Headers.ETag = $"\"{Convert.ToHexStringLower(hash.GetHashAndReset())}\"";
            }
            if (Matches(context.Request, response.Headers.ETag!))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.Headers.ContentType = default;
                response.Headers.ContentDisposition = default;
                return;
            }
        }
        await spool.DrainBufferAsync(original, context.RequestAborted);
    }

    private void SetCacheControl(HttpContext context)
    {
        if (context.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status304NotModified)
        {
            var visibility = context.Request.Headers.ContainsKey(Access.ApiKeyAuthenticationHandler.Header) ? "private" : "public";
            context.Response.Headers.CacheControl = $"{visibility}, max-age={(int)policy.MaxAge(context.Request).TotalSeconds}";
        }
    }

    /// <summary>True when <c>If-None-Match</c> names the tag (weak comparison, as RFC 9110 prescribes) or is <c>*</c>.</summary>
    public static bool Matches(HttpRequest request, string etag)
    {
        var tag = EntityTagHeaderValue.Parse(etag);
        return request.GetTypedHeaders().IfNoneMatch.Any(candidate =>
            candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(tag, useStrongComparison: false));
    }

    /// <summary>Passes writes through to the spool and into the hash.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            hash.AppendData(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
