using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Aggregator.Api.Features.Shared;

/// <summary>
/// The sort key of a list's item: unique, in the list's order. A cursor holds the key of the last item a page gave, and
/// the next page is the items after it (<c>WHERE key &gt; last ORDER BY key LIMIT n</c>).
/// </summary>
public interface ICursorKey<TSelf> where TSelf : class, ICursorKey<TSelf>
{
    void Write(CursorWriter writer);

    /// <summary>The key written by <see cref="Write"/>; throws <see cref="FormatException"/> when the bytes are not one.</summary>
    static abstract TSelf Read(ref CursorReader reader);
}

/// <summary>
/// The order of one list under one query's filters, which makes and reads that query's cursors. A cursor is opaque to
/// clients: base64url of a version byte, 8 bytes of the SHA-256 of the list's name and filters (so a cursor of another
/// query is refused, not silently applied to this one), the last item's sort key, and 4 bytes of the SHA-256 of all
/// that (so an altered or truncated cursor is refused). It is checked, not secret or signed: a made-up cursor only
/// says where to start in a list the caller may read anyway, under the same filters and access rules.
/// </summary>
public sealed class PageCursor<TKey> where TKey : class, ICursorKey<TKey>
{
    private readonly byte[] fingerprint;

    /// <param name="list">The list (its order is fixed per list): "cells", "reports", …</param>
    /// <param name="filters">The query's filters as they are applied (normalised: null for "any", sets sorted).</param>
    public PageCursor(string list, params object?[] filters)
    {
        var scope = JsonSerializer.SerializeToUtf8Bytes(new object?[] { list }.Concat(filters).ToArray());
        fingerprint = SHA256.HashData(scope)[..PageCursor.FingerprintBytes];
    }

    public string Encode(TKey key)
    {
        var writer = new CursorWriter();
        writer.Add(PageCursor.Version);
        writer.Add(fingerprint);
        key.Write(writer);
        var body = writer.ToArray();
        return WebEncoders.Base64UrlEncode([.. body, .. SHA256.HashData(body)[..PageCursor.CheckBytes]]);
    }

    /// <summary>The key a cursor of this query holds; false, with a message naming what is wrong, for any other text.</summary>
    public bool TryDecode(string cursor, out TKey? key, out string? error)
    {
        key = null;
        error = PageCursor.Malformed;
        if (cursor.Length is 0 or > PageCursor.MaxLength)
        {
            return false;
        }
        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(cursor);
        }
        catch (FormatException)
        {
            return false;
        }
        const int header = 1 + PageCursor.FingerprintBytes;
        if (bytes.Length < header + PageCursor.CheckBytes || bytes[0] != PageCursor.Version)
        {
            return false;
        }
        var body = bytes.AsSpan(0, bytes.Length - PageCursor.CheckBytes);
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(body).AsSpan(0, PageCursor.CheckBytes), bytes.AsSpan(body.Length)))
        {
            return false;
        }
        if (!body.Slice(1, PageCursor.FingerprintBytes).SequenceEqual(fingerprint))
        {
            error = PageCursor.Foreign;
            return false;
        }
        try
        {
            var reader = new CursorReader(body[header..]);
            var read = TKey.Read(ref reader);
            if (!reader.End)
            {
                return false;
            }
            key = read;
            error = null;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The key of <paramref name="cursor"/>, null when there is none; a cursor the validator let through always reads.</summary>
    public TKey? Read(string? cursor) =>
        cursor is null ? null
        : TryDecode(cursor, out var key, out var error) ? key
        : throw new Infrastructure.Problems.InputException("cursor", error!);
}

public static class PageCursor
{
    public const byte Version = 1;
    public const int FingerprintBytes = 8;
    public const int CheckBytes = 4;

    /// <summary>Longer is no cursor this API gives (the longest key, a 64-character agency code and three numbers, is ~110).</summary>
    public const int MaxLength = 512;

    public const string Malformed =
        "Not a cursor this list gave: it does not decode (altered or cut short?). Follow the Link header's rel=\"next\" " +
        "(or the answer's next) as given, or start again without cursor.";

    public const string Foreign =
        "This cursor continues another query: its filters differ from this request's. Use it with the query it came from " +
        "(the Link header's rel=\"next\" keeps them), or start again without cursor.";

    public const string WithPage =
        "Give cursor or page, not both: cursor continues from the page before (the Link header's rel=\"next\"); page jumps " +
        "to a numbered page, which costs more the deeper it is.";
}

/// <summary>Writes a cursor's fields: fixed-width big-endian numbers, strings as UTF-8 with a 2-byte length.</summary>
public sealed class CursorWriter
{
    private readonly List<byte> bytes = [];

    public CursorWriter Add(byte value)
    {
        bytes.Add(value);
        return this;
    }

    public CursorWriter Add(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            bytes.Add(b);
        }
        return this;
    }

    public CursorWriter Add(short value)
    {
        Span<byte> buffer = stackalloc byte[2];
        BinaryPrimitives.WriteInt16BigEndian(buffer, value);
        return Add((ReadOnlySpan<byte>)buffer);
    }

    public CursorWriter Add(int value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, value);
        return Add((ReadOnlySpan<byte>)buffer);
    }

    public CursorWriter Add(long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, value);
        return Add((ReadOnlySpan<byte>)buffer);
    }

    public CursorWriter Add(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        if (utf8.Length > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A cursor field holds at most 65,535 bytes.");
        }
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)utf8.Length);
        return Add((ReadOnlySpan<byte>)length).Add((ReadOnlySpan<byte>)utf8);
    }

    public CursorWriter Add(Guid value) => Add((ReadOnlySpan<byte>)value.ToByteArray(bigEndian: true));

    /// <summary>An instant, as UTC ticks: exact for PostgreSQL's microseconds.</summary>
    public CursorWriter Add(DateTimeOffset value) => Add(value.UtcTicks);

    public byte[] ToArray() => [.. bytes];
}

/// <summary>Reads what <see cref="CursorWriter"/> wrote, in the same order; <see cref="FormatException"/> past the end or on bad text.</summary>
public ref struct CursorReader(ReadOnlySpan<byte> bytes)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ReadOnlySpan<byte> rest = bytes;

    public readonly bool End => rest.IsEmpty;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (rest.Length < count)
        {
            throw new FormatException("The cursor ends early.");
        }
        var taken = rest[..count];
        rest = rest[count..];
        return taken;
    }

    public short Int16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public string String()
    {
        var length = BinaryPrimitives.ReadUInt16BigEndian(Take(2));
        string text;
        try
        {
            text = StrictUtf8.GetString(Take(length));
        }
        catch (DecoderFallbackException e)
        {
            throw new FormatException("The cursor holds text that is not UTF-8.", e);
        }
        // No key holds control characters (codes are [A-Za-z0-9_-]), and PostgreSQL cannot take a NUL in text.
        return text.Any(char.IsControl) ? throw new FormatException("The cursor holds a control character.") : text;
    }

    public Guid Guid() => new(Take(16), bigEndian: true);

    public DateTimeOffset Instant()
    {
        var ticks = Int64();
        return ticks is >= 0 and <= 3_155_378_975_999_999_999 // DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : throw new FormatException("The cursor holds an instant out of range.");
    }
}
