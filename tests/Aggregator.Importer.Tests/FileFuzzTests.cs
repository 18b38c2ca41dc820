using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using CsCheck;
using Xunit.Abstractions;

namespace Aggregator.Importer.Tests;

/// <summary>
/// Issue #13: the PDF and Word readers fuzzed as the text importer is: the fixtures mutated (bytes flipped, cut,
/// doubled, PDF tokens and Word XML put in, truncated files), and the hostile shapes (pages by the hundred, forms
/// drawn inside one another, text by the megabyte, flate and zip bombs, ruling grids, tables nested and wide) at
/// random sizes. No exception escapes and no input takes more than a second of CPU (<see cref="ThreadClock"/>; the
/// longest wall time is reported). A mutation may change a published number, which no reader can know, so cells are
/// checked on the fixtures themselves (AccuracyTests), not here. Seeded and bounded for CI; runs alone, with the text
/// fuzz test.
/// </summary>
[Collection(nameof(ImporterFuzzTests))]
public sealed class FileFuzzTests(ITestOutputHelper output)
{
    private const int PdfInputs = 80;
    private const int DocxInputs = 120;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);
    private static readonly string PdfSeed = new PCG(13, 20261201).ToString();
    private static readonly string DocxSeed = new PCG(14, 20261201).ToString();

    private static readonly byte[][] Pdfs =
    [
        Fixtures.Bytes("pingtan-2021", "pdf"),
        Fixtures.Bytes("shuyang-fgj-2023", "pdf"),
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "pdf", "shuyang-fgj-2023.libreoffice.pdf")),
    ];

    private static readonly byte[][] Docxs = [Fixtures.Bytes("pingtan-2021", "docx"), Fixtures.Bytes("shuyang-fgj-2023", "docx")];

    private static readonly string[] PdfSnippets =
    [
        "obj", "endobj", "stream\n", "endstream", "<<", ">>", "[", "]", "/Type /Page ", "/Kids [1 0 R 1 0 R]", "/Count 100000 ",
        "/Length 99999999 ", "/Filter /FlateDecode ", "/Filter /LZWDecode ", "/Filter [/FlateDecode /FlateDecode] ", "/Predictor 15 ",
        "xref\n0 1\n", "trailer", "%%EOF", "startxref\n1\n", "1 0 R ", "99999 0 R ", "/Encrypt 1 0 R ", "BT", "ET", " Tj", "(x)", "<FEFF>",
        "/Fm1 Do ", "q ", "Q ", "0 0 612 792 re f ", "-1e308 ", "NaN ", "\0", "%PDF-1.7\n",
    ];

    private static readonly string[] XmlSnippets =
    [
        "<w:tbl>", "</w:tbl>", "<w:tr>", "</w:tr>", "<w:tc>", "</w:tc>", "<w:p>", "</w:p>", "<w:tcPr><w:gridSpan w:val=\"5000\"/></w:tcPr>",
        "<w:tcPr><w:vMerge/></w:tcPr>", "<w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>", "<w:trPr><w:gridBefore w:val=\"99999\"/></w:trPr>",
        "<w:r><w:t>1</w:t></w:r>", "<w:r><w:t>本年新收政府信息公开申请数量</w:t></w:r>", "<w:r><w:tab/></w:r>", "<w:r><w:br/></w:r>",
        "<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>", "&amp;", "&#0;", "<!--", "-->", "<![CDATA[", "<", ">", "\"",
    ];

    private sealed record Input(string Kind, byte[] Bytes)
    {
        public override string ToString() => $"{Kind} ({Bytes.Length:N0} bytes)";
    }

    [Fact]
    public void No_pdf_throws_or_takes_more_than_a_second()
    {
        var hostile = Gen.Frequency(
            (1, Gen.Int[1, 400].Select(n => new Input($"{n} pages", HostilePdfs.Pages(n)))),
            (1, Gen.Select(Gen.Int[1, 6], Gen.Int[1, 60]).Select(p => new Input($"forms {p.Item1} deep, {p.Item2} wide", HostilePdfs.Forms(p.Item1, p.Item2)))),
            (1, Gen.Int[1_000, 400_000].Select(n => new Input($"{n:N0} letters shown", HostilePdfs.Text(n)))),
            (1, Gen.Int[2, 250].Select(n => new Input($"ruling grid {n}x{n}", HostilePdfs.Grid(n)))),
            (1, Gen.Select(Gen.Int[2, 700], Gen.Int[1, 60], Gen.Int[0, 50]).Select(p => new Input($"unruled table {p.Item1}x{p.Item2}, skew {p.Item3}", HostilePdfs.Unruled(p.Item1, p.Item2, p.Item3)))),
            (1, Gen.Const(0).Select(_ => new Input("flate bomb (256 MiB of spaces)", HostilePdfs.Bomb.Value))));
        var mutated = from source in Gen.Int[0, Pdfs.Length - 1]
                      from edits in Gen.Select(Gen.Int[0, 3], Gen.Double[0, 1], Gen.Int[0, PdfSnippets.Length - 1], Gen.Int[1, 400]).Array[1, 10]
                      select Mutate(Pdfs[source], edits, PdfSnippets, $"fixture pdf {source}");
        Fuzz("pdf", PdfSeed, PdfInputs, Gen.Frequency((3, mutated), (2, hostile)), bytes => ReportImporter.Import(bytes, "application/pdf", null));
    }

    [Fact]
    public void No_word_file_throws_or_takes_more_than_a_second()
    {
        var hostile = Gen.Frequency(
            (1, Gen.Int[1, 2_000].Select(n => new Input($"tables nested {n} deep", new DocxBuilder().Nested(n).Build()))),
            (1, Gen.Select(Gen.Int[1, 300], Gen.Int[1, 300]).Select(p => new Input($"table {p.Item1}x{p.Item2}", HostileDocx.Table(p.Item1, p.Item2)))),
            (1, Gen.Const(0).Select(_ => new Input("zip bomb (256 MiB of zeros)", HostileDocx.Bomb.Value))));
        var xml = from source in Gen.Int[0, Docxs.Length - 1]
                  from edits in Gen.Select(Gen.Int[0, 2], Gen.Double[0, 1], Gen.Int[0, XmlSnippets.Length - 1], Gen.Frequency((8, Gen.Int[1, 3]), (1, Gen.Int[100, 5_000]))).Array[1, 10]
                  let mutated = HostileDocx.MutateXml(Docxs[source], edits, XmlSnippets)
                  select new Input($"fixture docx {source}, document.xml with {edits.Length} edit(s)", mutated);
        var bytes = from source in Gen.Int[0, Docxs.Length - 1]
                    from edits in Gen.Select(Gen.Int[0, 3], Gen.Double[0, 1], Gen.Int[0, XmlSnippets.Length - 1], Gen.Int[1, 400]).Array[1, 6]
                    select Mutate(Docxs[source], edits, XmlSnippets, $"fixture docx {source}, zip bytes");
        Fuzz("docx", DocxSeed, DocxInputs, Gen.Frequency((4, xml), (2, bytes), (2, hostile)),
            b => ReportImporter.Import(b, Fixtures.MediaTypes["docx"], null));
    }

    private void Fuzz(string format, string seed, int inputs, Gen<Input> gen, Func<byte[], ImportResult> import)
    {
        ReportImporter.ImportText(""); // the first import of the process warms up outside the measurement
        var count = 0;
        var slowest = (Ms: 0.0, Input: (Input?)null);
        var wallest = 0.0;
        long peak = 0;
        var outcomes = new Dictionary<string, int>();
        foreach (var input in Replayed.Inputs(gen, seed, inputs))
        {
            var watch = Stopwatch.StartNew();
            var cpu = ThreadClock.Now();
            var result = import(input.Bytes);
            var elapsed = ThreadClock.Now() - cpu;
            wallest = Math.Max(wallest, watch.Elapsed.TotalMilliseconds);
            peak = Math.Max(peak, GC.GetTotalMemory(false));
            count++;
            var outcome = result.Refusal is { } r ? $"refused ({r.Limit})" : result.Unreadable is { } u ? $"unreadable ({u.Kind})" : result.IsReport ? "report" : "not a report";
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (elapsed.TotalMilliseconds > slowest.Ms)
            {
                slowest = (elapsed.TotalMilliseconds, input);
            }
            Assert.NotNull(result);
            Assert.True(elapsed < Limit, $"{elapsed.TotalMilliseconds:0} ms of CPU for input {count} of seed {seed}, {input}; refusal: {result.Refusal?.Reason}");
        }

        var report = $"{format} seed {seed}: {count} inputs ({string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Value} {o.Key}"))}); "
                     + $"slowest {slowest.Ms:0} ms of CPU, {slowest.Input}; longest wall time {wallest:0} ms; managed heap peak {peak / (1024 * 1024)} MiB";
        // AGGREGATOR_FUZZ_KEEP=<folder> keeps the slowest input, to look at or time on its own.
        if (Environment.GetEnvironmentVariable("AGGREGATOR_FUZZ_KEEP") is { Length: > 0 } keep && slowest.Input is { } kept)
        {
            File.WriteAllBytes(Path.Combine(keep, $"slowest.{format}"), kept.Bytes);
        }
        output.WriteLine(report);
        Console.WriteLine(report);
    }

    private static Input Mutate(byte[] source, (int Op, double At, int Snippet, int Length)[] edits, string[] snippets, string kind)
    {
        var bytes = new List<byte>(source);
        foreach (var (op, at, snippet, length) in edits)
        {
            var position = (int)(at * bytes.Count);
            var count = Math.Min(bytes.Count - position, length);
            switch (op)
            {
                case 0:
                    bytes.InsertRange(position, Encoding.UTF8.GetBytes(snippets[snippet]));
                    break;
                case 1:
                    bytes.RemoveRange(position, count);
                    break;
                case 2:
                    bytes.InsertRange(position, bytes.GetRange(position, count));
                    break;
                default:
                    // Cut the file here: a download stopped part way.
                    bytes.RemoveRange(position, bytes.Count - position);
                    break;
            }
        }
        return new Input($"{kind} with {edits.Length} edit(s)", [.. bytes]);
    }
}

/// <summary>Hostile PDFs at a given size, written by <see cref="PdfBuilder"/>.</summary>
public static class HostilePdfs
{
    public static byte[] Pages(int count)
    {
        var pdf = new PdfBuilder();
        var content = pdf.Stream("BT /F1 12 Tf 72 720 Td (1) Tj ET");
        for (var i = 0; i < count; i++)
        {
            pdf.Page([content]);
        }
        return pdf.Build();
    }

    /// <summary>Forms drawing the form below them <paramref name="width"/> times, <paramref name="depth"/> levels deep.</summary>
    public static byte[] Forms(int depth, int width)
    {
        var pdf = new PdfBuilder();
        var form = pdf.Stream("BT /F1 1 Tf 0 0 Td (x) Tj ET", extra: $"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /Font << /F1 {pdf.Font} 0 R >> >>");
        for (var i = 0; i < depth; i++)
        {
            form = pdf.Stream(string.Concat(Enumerable.Repeat("/X Do ", width)), extra: $"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X {form} 0 R >> >>");
        }
        pdf.Page([pdf.Stream("/X Do")], $"/X {form} 0 R");
        return pdf.Build();
    }

    public static byte[] Text(int letters)
    {
        var pdf = new PdfBuilder();
        pdf.Page([pdf.Stream("BT /F1 1 Tf 0 0 Td (" + new string('7', letters) + ") Tj ET", compress: true)]);
        return pdf.Build();
    }

    /// <summary>A page ruled into n by n cells, a digit in each.</summary>
    public static byte[] Grid(int n)
    {
        var content = new StringBuilder();
        var step = 700.0 / n;
        for (var i = 0; i <= n; i++)
        {
            content.Append($"{50 + i * step:0.##} 50 m {50 + i * step:0.##} 750 l S 50 {50 + i * step:0.##} m 750 {50 + i * step:0.##} l S\n");
        }
        content.Append("BT /F1 1 Tf ");
        for (var r = 0; r < Math.Min(n, 60); r++)
        {
            for (var c = 0; c < Math.Min(n, 60); c++)
            {
                content.Append($"1 0 0 1 {50 + c * step + step / 3:0.##} {50 + r * step + step / 3:0.##} Tm (1) Tj ");
            }
        }
        content.Append("ET");
        var pdf = new PdfBuilder();
        pdf.Page([pdf.Stream(content.ToString(), compress: true)]);
        return pdf.Build();
    }

    /// <summary>
    /// A page of <paramref name="rows"/> lines, each a word and <paramref name="columns"/> numbers, no ruling line: a
    /// table without lines as large as a page holds; every <paramref name="skew"/>-th number a little off its column.
    /// </summary>
    public static byte[] Unruled(int rows, int columns, int skew)
    {
        var content = new StringBuilder("BT /F1 1 Tf ");
        var (dy, dx) = (700.0 / rows, 650.0 / (columns + 1));
        for (var r = 0; r < rows; r++)
        {
            content.Append($"1 0 0 1 50 {750 - r * dy:0.##} Tm (a) Tj ");
            for (var c = 0; c < columns; c++)
            {
                var off = skew > 0 && (r * columns + c) % skew == 0 ? dx / 2 : 0;
                content.Append($"1 0 0 1 {100 + c * dx + off:0.##} {750 - r * dy:0.##} Tm (1) Tj ");
            }
        }
        content.Append("ET");
        var pdf = new PdfBuilder();
        pdf.Page([pdf.Stream(content.ToString(), compress: true)]);
        return pdf.Build();
    }

    public static readonly Lazy<byte[]> Bomb = new(() =>
    {
        var pdf = new PdfBuilder();
        var compressed = PdfBuilder.ZlibOfSpaces(256L << 20);
        pdf.Page([pdf.Stream(compressed, compress: false, "/Filter /FlateDecode")]);
        return pdf.Build();
    });
}

/// <summary>Hostile Word files: mutated document XML, wide tables, a zip bomb.</summary>
public static class HostileDocx
{
    public static byte[] Table(int rows, int columns) =>
        new DocxBuilder().Paragraph("三、收到和处理政府信息公开申请情况")
            .Table(Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, columns).Select(c => new DocxBuilder.Cell(c == 0 ? "本年新收政府信息公开申请数量" : "1")))).Build();

    public static readonly Lazy<byte[]> Bomb = new(() =>
    {
        using var stream = new MemoryStream();
        stream.Write(Fixtures.Bytes("pingtan-2021", "docx"));
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var part = zip.CreateEntry("word/media/bomb.bin", CompressionLevel.SmallestSize).Open();
            var chunk = new byte[1 << 20];
            for (var i = 0; i < 256; i++)
            {
                part.Write(chunk);
            }
        }
        return stream.ToArray();
    });

    /// <summary>The Word file with its document.xml edited as text: snippets put in (now and then thousands of times), ranges cut or doubled.</summary>
    public static byte[] MutateXml(byte[] docx, (int Op, double At, int Snippet, int Repeat)[] edits, string[] snippets)
    {
        using var stream = new MemoryStream();
        stream.Write(docx);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("word/document.xml")!;
            string xml;
            using (var reader = new StreamReader(entry.Open()))
            {
                xml = reader.ReadToEnd();
            }
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("word/document.xml").Open());
            writer.Write(TestImports.Edited(xml, edits, snippets));
        }
        return stream.ToArray();
    }
}
