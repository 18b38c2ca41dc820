using System.IO.Compression;
using System.Text;

namespace Aggregator.Importer.Tests;

/// <summary>
/// Writes small PDFs by hand for the shapes no published report has: scans, too many pages, decompression bombs,
/// forms drawn inside one another. Objects are numbered in the order they are added; the cross-reference table is
/// written with the right offsets, so PdfPig reads the file as it is, without repairing it.
/// </summary>
public sealed class PdfBuilder
{
    private readonly List<byte[]> objects = [];
    private readonly List<int> pages = [];
    private readonly int pagesObject;

    public PdfBuilder()
    {
        Add(""); // 1: catalog, written last
        pagesObject = Add(""); // 2: page tree, written last
        Font = Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    }

    public int Font { get; }

    /// <summary>Adds an object and returns its number.</summary>
    public int Add(string body) => Add(Encoding.Latin1.GetBytes(body));

    public int Add(byte[] body)
    {
        objects.Add(body);
        return objects.Count;
    }

    /// <summary>Adds a stream object: raw, or compressed with FlateDecode.</summary>
    public int Stream(byte[] data, bool compress, string extra = "")
    {
        var bytes = compress ? Zlib(data) : data;
        var head = Encoding.Latin1.GetBytes($"<< /Length {bytes.Length}{(compress ? " /Filter /FlateDecode" : "")} {extra} >>\nstream\n");
        return Add([.. head, .. bytes, .. "\nendstream"u8]);
    }

    public int Stream(string content, bool compress = false, string extra = "") => Stream(Encoding.Latin1.GetBytes(content), compress, extra);

    /// <summary>Adds a page drawing the given content streams, with Helvetica as /F1 and the given XObjects.</summary>
    public void Page(int[] contents, string xObjects = "")
    {
        var contentRefs = string.Join(" ", contents.Select(c => $"{c} 0 R"));
        pages.Add(Add($"<< /Type /Page /Parent {pagesObject} 0 R /MediaBox [0 0 612 792] /Contents [{contentRefs}] " +
                      $"/Resources << /Font << /F1 {Font} 0 R >> /XObject << {xObjects} >> >> >>"));
    }

    public byte[] Build()
    {
        objects[0] = Encoding.Latin1.GetBytes($"<< /Type /Catalog /Pages {pagesObject} 0 R >>");
        objects[pagesObject - 1] = Encoding.Latin1.GetBytes($"<< /Type /Pages /Kids [{string.Join(" ", pages.Select(p => $"{p} 0 R"))}] /Count {pages.Count} >>");
        using var output = new MemoryStream();
        output.Write("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"u8);
        var offsets = new List<long>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(output.Position);
            output.Write(Encoding.Latin1.GetBytes($"{i + 1} 0 obj\n"));
            output.Write(objects[i]);
            output.Write("\nendobj\n"u8);
        }
        var xref = output.Position;
        var table = new StringBuilder($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            table.Append($"{offset:D10} 00000 n \n");
        }
        table.Append($"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        output.Write(Encoding.Latin1.GetBytes(table.ToString()));
        return output.ToArray();
    }

    public static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize))
        {
            zlib.Write(data);
        }
        return output.ToArray();
    }

    /// <summary>Zlib of <paramref name="length"/> spaces, written in chunks (no buffer of that size).</summary>
    public static byte[] ZlibOfSpaces(long length)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.SmallestSize))
        {
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)' ');
            for (var left = length; left > 0; left -= chunk.Length)
            {
                zlib.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
            }
        }
        return output.ToArray();
    }
}
