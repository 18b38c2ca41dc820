using System.IO.Compression;
using System.Runtime.InteropServices;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace Aggregator.Importer.Pdf;

/// <summary>
/// The stream filters PdfPig decodes a PDF with, bounded: every decoded byte counts towards
/// <see cref="ImporterOptions.MaxDecodedBytes"/> for the whole file, so a small stream that inflates to gigabytes (a
/// decompression bomb) stops at the limit instead of filling memory; each decode checks the time budget. Image
/// filters are not decoded at all (the importer reads text and lines only). PdfPig swallows some exceptions of its
/// filters, so a limit passed is also kept in <see cref="Passed"/> and thrown again by the reader.
/// </summary>
internal sealed class BoundedFilters : BaseFilterProvider
{
    private readonly ImportBudget budget;
    private long decoded;

    public BoundedFilters(ImportBudget budget) : base(Filters(out var self))
    {
        this.budget = budget;
        self.Owner = this;
    }

    /// <summary>The limit passed while PdfPig decoded, if any.</summary>
    public ImportLimitException? Passed { get; private set; }

    /// <summary>Throws the limit passed inside PdfPig, if any, and checks the time budget.</summary>
    public void ThrowIfPassed()
    {
        if (Passed is { } passed)
        {
            throw passed;
        }
        budget.Check();
    }

    /// <summary>Counts decoded bytes; throws when the file's total passes the limit.</summary>
    public void Count(long bytes)
    {
        decoded += bytes;
        if (decoded > budget.Options.MaxDecodedBytes)
        {
            throw Passed = ImportBudget.TooMuchDecoded(budget.Options.MaxDecodedBytes);
        }
    }

    public void Check() => ThrowIfPassed();

    /// <summary>
    /// While the page costs are worked out: a stream that decodes to more than a page may draw stops there, naming
    /// the page (<see cref="PdfStructure"/>); null otherwise.
    /// </summary>
    public (int Page, long Limit)? StreamLimit { get; set; }

    /// <summary>Checks the bytes one stream has decoded so far against <see cref="StreamLimit"/>.</summary>
    public void CheckStream(long produced)
    {
        if (StreamLimit is { } limit && produced > limit.Limit)
        {
            throw Passed = ImportBudget.TooMuchPageContent(limit.Page, limit.Limit);
        }
    }

    /// <summary>The bytes the file may still decode.</summary>
    public long Remaining => Math.Max(0, budget.Options.MaxDecodedBytes - decoded);

    private static Dictionary<string, IFilter> Filters(out OwnerRef self)
    {
        self = new OwnerRef();
        var owner = self;
        IFilter flate = new Flate(owner), lzw = new Expanding(owner, new LzwFilter(), lzwFactor: true),
            runLength = new RunLength(owner), ascii85 = new Expanding(owner, new Ascii85Filter(), 5),
            asciiHex = new Expanding(owner, new AsciiHexDecodeFilter(), 1), image = new NotDecoded();
        return new Dictionary<string, IFilter>
        {
            ["FlateDecode"] = flate, ["Fl"] = flate,
            ["LZWDecode"] = lzw, ["LZW"] = lzw,
            ["RunLengthDecode"] = runLength, ["RL"] = runLength,
            ["ASCII85Decode"] = ascii85, ["A85"] = ascii85,
            ["ASCIIHexDecode"] = asciiHex, ["AHx"] = asciiHex,
            ["DCTDecode"] = image, ["DCT"] = image, ["JPXDecode"] = image, ["JBIG2Decode"] = image,
            ["CCITTFaxDecode"] = image, ["CCF"] = image, ["Crypt"] = image,
        };
    }

    /// <summary>The provider, once made: the filters are made before it (in the base constructor's argument) and reach it through this.</summary>
    internal sealed class OwnerRef
    {
        private BoundedFilters? owner;

        public BoundedFilters Owner
        {
            get => owner ?? throw new InvalidOperationException("The filters were used before their provider was made.");
            set => owner = value;
        }
    }

    private static int Int(DictionaryToken parameters, string key, int fallback) =>
        parameters.TryGet(NameToken.Create(key), out IToken value) && value is NumericToken number ? number.Int : fallback;

    private static DictionaryToken Parameters(DictionaryToken stream, int index)
    {
        try
        {
            return DecodeParameterResolver.GetFilterParameters(stream, index);
        }
        catch (Exception e) when (e is not ImportLimitException)
        {
            return new DictionaryToken(new Dictionary<NameToken, IToken>());
        }
    }

    /// <summary>Inflates into a buffer that stops at the file's remaining allowance; a predictor is then applied by PdfPig's own filter.</summary>
    private sealed class Flate(OwnerRef owner) : IFilter
    {
        private static readonly FlateFilter Unbounded = new();

        public bool IsSupported => true;

        public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex)
        {
            var provider = owner.Owner;
            provider.Check();
            var inflated = Inflate(input, provider);
            if (Int(Parameters(streamDictionary, filterIndex), "Predictor", 1) > 1)
            {
                // Rows of a predictor (cross-reference streams, images) are no longer than the inflated bytes, already counted.
                return Unbounded.Decode(input, streamDictionary, filterProvider, filterIndex);
            }
            return inflated;
        }

        private static Memory<byte> Inflate(Memory<byte> input, BoundedFilters provider)
        {
            if (input.Length < 2)
            {
                return Memory<byte>.Empty;
            }
            var segment = MemoryMarshal.TryGetArray((ReadOnlyMemory<byte>)input, out var array) ? array : new ArraySegment<byte>(input.ToArray());
            // The two bytes of the zlib header, which DeflateStream does not read (as PdfPig does).
            using var source = new MemoryStream(segment.Array!, segment.Offset + 2, segment.Count - 2, writable: false);
            using var deflate = new DeflateStream(source, CompressionMode.Decompress);
            var output = new MemoryStream(Math.Min(input.Length * 4, 1 << 20));
            var buffer = new byte[81920];
            try
            {
                int read;
                while ((read = deflate.Read(buffer)) > 0)
                {
                    provider.Count(read);
                    provider.CheckStream(output.Length + read);
                    provider.Check();
                    output.Write(buffer, 0, read);
                }
            }
            catch (InvalidDataException)
            {
                // A truncated or corrupt stream: what inflated so far, as a reader would show it.
            }
            return output.GetBuffer().AsMemory(0, (int)output.Length);
        }
    }

    /// <summary>A filter whose output is at most a known multiple of its input: refused when that could pass the allowance.</summary>
    private sealed class Expanding(OwnerRef owner, IFilter inner, int factor = 1, bool lzwFactor = false) : IFilter
    {
        // An LZW code of 9–12 bits gives at most one table entry's bytes; 4,096 table entries of up to 4,096 bytes.
        private const int LzwLongestEntry = 4096;

        public bool IsSupported => true;

        public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex)
        {
            var provider = owner.Owner;
            provider.Check();
            var most = lzwFactor ? (long)input.Length * 8 / 9 * LzwLongestEntry : (long)input.Length * factor;
            if (most > provider.Remaining)
            {
                provider.Count(most);
            }
            if (provider.StreamLimit is { } page && most > page.Limit)
            {
                provider.CheckStream(most);
            }
            var output = inner.Decode(input, streamDictionary, filterProvider, filterIndex);
            provider.Count(output.Length);
            return output;
        }
    }

    /// <summary>Run-length decoding, stopping at the allowance (each byte of input may give 128).</summary>
    private sealed class RunLength(OwnerRef owner) : IFilter
    {
        public bool IsSupported => true;

        public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex)
        {
            var provider = owner.Owner;
            provider.Check();
            var data = input.Span;
            var output = new MemoryStream(Math.Min(data.Length * 2, 1 << 20));
            for (var i = 0; i < data.Length;)
            {
                var length = data[i++];
                if (length == 128)
                {
                    break;
                }
                if (length < 128)
                {
                    var count = Math.Min(length + 1, data.Length - i);
                    provider.Count(count);
                    provider.CheckStream(output.Length + count);
                    output.Write(data.Slice(i, count));
                    i += count;
                }
                else if (i < data.Length)
                {
                    var count = 257 - length;
                    provider.Count(count);
                    provider.CheckStream(output.Length + count);
                    for (var k = 0; k < count; k++)
                    {
                        output.WriteByte(data[i]);
                    }
                    i++;
                }
            }
            return output.GetBuffer().AsMemory(0, (int)output.Length);
        }
    }

    /// <summary>Image data is left as it is: the importer never looks at pixels.</summary>
    private sealed class NotDecoded : IFilter
    {
        public bool IsSupported => true;

        public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex) => input;
    }
}
