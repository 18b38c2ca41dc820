namespace Aggregator.Importer;

/// <summary>The forms a published report comes in.</summary>
public enum ImportFormat
{
    /// <summary>Plain text: a copy of a page, a crawler's text, pdftotext or converter output.</summary>
    Text,

    /// <summary>A web page.</summary>
    Html,

    /// <summary>A PDF (read when it has a text layer).</summary>
    Pdf,

    /// <summary>A Word file (.docx, Office Open XML).</summary>
    Docx,

    /// <summary>Word's old binary format (.doc): not read.</summary>
    LegacyWord,

    /// <summary>A binary file that is none of these.</summary>
    Unknown,
}

/// <summary>The media types of the formats and how a body is told to be one.</summary>
public static class ImportFormats
{
    /// <summary>A PDF.</summary>
    public const string Pdf = "application/pdf";

    /// <summary>A Word document (.docx).</summary>
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>Word's old binary format (.doc).</summary>
    public const string Doc = "application/msword";

    /// <summary>A file of unknown type: told by its first bytes.</summary>
    public const string OctetStream = "application/octet-stream";

    /// <summary>Why a .doc is not read, and what to send instead.</summary>
    public const string LegacyWordReason =
        "This is a Word 97–2003 file (.doc), which this service does not read. Save it as a Word document (.docx) or export it as PDF, and send that.";

    /// <summary>Why a binary body of no known format is not read.</summary>
    public const string UnknownReason =
        "The file is neither text, a web page, a PDF nor a Word file (.docx). Send the report as one of those.";

    /// <summary>The format of a body: from its media type, and from its first bytes when the type says only that it is binary.</summary>
    public static ImportFormat Of(string mediaType, ReadOnlySpan<byte> body)
    {
        switch (mediaType.Trim().ToLowerInvariant())
        {
            case "text/html" or "application/xhtml+xml":
                return ImportFormat.Html;
            case Pdf:
                return ImportFormat.Pdf;
            case Docx:
                return ImportFormat.Docx;
            case Doc:
                return ImportFormat.LegacyWord;
            case OctetStream:
                return Sniff(body);
            default:
                return ImportFormat.Text;
        }
    }

    /// <summary>The format from the first bytes: %PDF, a zip (a .docx is one), an OLE2 compound file (.doc); else text.</summary>
    public static ImportFormat Sniff(ReadOnlySpan<byte> body)
    {
        var head = body[..Math.Min(body.Length, 1024)];
        if (head.IndexOf("%PDF-"u8) >= 0)
        {
            return ImportFormat.Pdf;
        }
        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return ImportFormat.Docx;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            return ImportFormat.LegacyWord;
        }
        return head.IndexOf((byte)0) >= 0 ? ImportFormat.Unknown : ImportFormat.Text;
    }

    /// <summary>The media type of a file by its extension (.txt, .html/.htm, .pdf, .docx, .doc), or null.</summary>
    public static string? MediaTypeOfExtension(string extension) => extension.TrimStart('.').ToLowerInvariant() switch
    {
        "txt" or "text" or "md" => "text/plain",
        "html" or "htm" => "text/html",
        "pdf" => Pdf,
        "docx" => Docx,
        "doc" => Doc,
        _ => null,
    };
}
