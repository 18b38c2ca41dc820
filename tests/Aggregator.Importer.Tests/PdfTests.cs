using System.Diagnostics;
using System.Text;
using Aggregator.Domain;

namespace Aggregator.Importer.Tests;

/// <summary>
/// Issue #13: PDFs with a text layer read from word positions and ruling lines; scans, passwords and damaged files
/// are unreadable naming why; pages, decoded bytes and a page's drawing are bounded. The published PDFs are
/// tests/Fixtures/reports/*.pdf (pages printed to PDF by Chromium); tests/Fixtures/pdf holds the others (how each was
/// made: tests/Fixtures/pdf/README.md); the hostile shapes are written by <see cref="PdfBuilder"/>.
/// </summary>
public sealed class PdfTests
{
    private static byte[] Other(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "pdf", file));

    [Theory]
    [InlineData("pingtan-2021")]
    [InlineData("shuyang-fgj-2023")]
    public void A_printed_page_imports_to_its_expected_document(string name)
    {
        var result = Fixtures.Import(name, "pdf");

        FixtureTests.AssertExact(name, result);
        Assert.Empty(result.Findings);
        Assert.Equal(Fixtures.Expected(name)["year"]!.GetValue<int>(), result.Year);
        Assert.NotNull(result.Document!.Overview);
        Assert.NotNull(result.Document.OtherMatters);
    }

    [Fact]
    public void Blank_cells_in_the_middle_of_a_row_stay_blank_in_their_own_columns()
    {
        // shuyang's rows print the natural-person column and the total, the five columns between them blank.
        var document = Fixtures.Import("shuyang-fgj-2023", "pdf").Document!;
        var expected = Fixtures.Document("shuyang-fgj-2023");

        foreach (var applicant in Applicants.All)
        {
            Assert.Equal(expected.Get("applications.newlyReceived", applicant), document.Get("applications.newlyReceived", applicant));
        }
        Assert.NotNull(document.Get("applications.newlyReceived", Applicant.NaturalPerson));
        Assert.Null(document.Get("applications.newlyReceived", Applicant.Commercial));
        Assert.NotNull(document.Get("applications.newlyReceived", Applicant.Total));
    }

    [Fact]
    public void A_pdf_from_another_producer_is_right_or_blank_with_a_diagnostic_naming_its_page()
    {
        // LibreOffice's PDF of the shuyang page: its table runs past the page edge, so the total column wraps "26"
        // onto two lines in a cell, and a row is cut by a page break with lines drawn on both sides.
        var result = ReportImporter.ImportPdf(Other("shuyang-fgj-2023.libreoffice.pdf"));

        var comparison = CellComparison.Compare(Fixtures.Document("shuyang-fgj-2023"), result);
        Assert.Empty(comparison.Wrong);
        Assert.True(comparison.Right >= 180, $"{comparison.Right} right");
        var wrapped = Assert.Single(result.Diagnostics, d => d.Path == "applications.newlyReceived.total");
        Assert.Equal(DiagnosticSeverity.Blocking, wrapped.Severity);
        Assert.Equal(5, wrapped.Line); // the page
    }

    /// <summary>
    /// A Word table without borders saved as PDF (pandoc's Word file of the page, by LibreOffice): no ruling line to
    /// read cells from. Labels wrap over up to seven lines below their values ("unruled") or above and below them
    /// ("centred"), some cut by a page break; shuyang's rows print two of seven columns, placed under the header's
    /// columns, its continuation pages with no header.
    /// </summary>
    [Theory]
    [InlineData("pingtan-2021", "unruled")]
    [InlineData("shuyang-fgj-2023", "unruled")]
    [InlineData("pingtan-2021", "centred")]
    [InlineData("shuyang-fgj-2023", "centred")]
    public void A_table_without_ruling_lines_is_read_from_its_columns_and_wrapped_labels(string name, string variant)
    {
        var result = ReportImporter.ImportPdf(Other($"{name}.{variant}.pdf"));

        var comparison = CellComparison.Compare(Fixtures.Document(name), result);
        Assert.Empty(comparison.Wrong);
        Assert.Equal(comparison.Cells, comparison.Right);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Blocking);
    }

    [Fact]
    public void A_scan_is_unreadable_saying_it_has_no_text_layer()
    {
        var pdf = new PdfBuilder();
        var image = pdf.Stream(new byte[64], compress: false, "/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode");
        pdf.Page([pdf.Stream("q 612 0 0 792 0 0 cm /Im1 Do Q")], $"/Im1 {image} 0 R");
        pdf.Page([pdf.Stream("q 612 0 0 792 0 0 cm /Im1 Do Q")], $"/Im1 {image} 0 R");

        var result = TestImports.Timed(() => ReportImporter.Import(pdf.Build(), "application/pdf", null));

        Assert.Equal(UnreadableKind.NoTextLayer, result.Unreadable?.Kind);
        Assert.Contains("no text layer", result.Unreadable!.Reason);
        Assert.Contains("2 page(s) hold 2 image(s)", result.Unreadable.Reason);
        Assert.Contains("OCR", result.Unreadable.Reason);
        Assert.Null(result.Document);
        Assert.True(result.HasBlockingDiagnostics);
    }

    [Fact]
    public void A_pdf_with_a_password_is_unreadable_saying_so()
    {
        // The warm-up PDF encrypted with qpdf (user password "secret").
        var result = ReportImporter.ImportPdf(Other("warm-up.encrypted.pdf"));

        Assert.Equal(UnreadableKind.Encrypted, result.Unreadable?.Kind);
        Assert.Contains("password", result.Unreadable!.Reason);
    }

    [Fact]
    public void Bytes_that_are_not_a_pdf_are_a_damaged_pdf()
    {
        var result = ReportImporter.Import(Encoding.UTF8.GetBytes("本年新收政府信息公开申请数量 1 2 3"), "application/pdf", null);

        Assert.Equal(UnreadableKind.Damaged, result.Unreadable?.Kind);
        Assert.Contains("PDF cannot be read", result.Unreadable!.Reason);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void A_truncated_pdf_is_damaged_or_read_right_or_blank(double kept)
    {
        var bytes = Fixtures.Bytes("pingtan-2021", "pdf");

        var result = TestImports.Timed(() => ReportImporter.ImportPdf(bytes[..(int)(bytes.Length * kept)]));

        CellComparison.AssertUnreadableOrNeverWrong(Fixtures.Document("pingtan-2021"), result);
    }

    [Fact]
    public void More_pages_than_the_limit_are_refused_naming_the_page_limit()
    {
        var result = ReportImporter.ImportPdf(Fixtures.Bytes("pingtan-2021", "pdf"), ImporterOptions.Default with { MaxPdfPages = 5 });

        Assert.Equal(ImportLimit.Pages, result.Refusal?.Limit);
        Assert.Equal(5, result.Refusal!.Value);
        Assert.Equal("The PDF has 9 pages, more than the 5 it may have (page limit 5).", result.Refusal.Reason);
    }

    [Fact]
    public void A_thousand_pages_are_refused_before_any_is_read()
    {
        var pdf = new PdfBuilder();
        var content = pdf.Stream("BT /F1 12 Tf 72 720 Td (1) Tj ET");
        for (var i = 0; i < 1000; i++)
        {
            pdf.Page([content]);
        }

        var result = TestImports.Timed(() => ReportImporter.ImportPdf(pdf.Build()));

        Assert.Equal(ImportLimit.Pages, result.Refusal?.Limit);
        Assert.Equal(100, result.Refusal!.Value);
    }

    [Fact]
    public void A_decompression_bomb_stops_at_the_page_content_limit()
    {
        // 2 GiB of spaces in about 2 MB: the page's content stream.
        var pdf = new PdfBuilder();
        var compressed = PdfBuilder.ZlibOfSpaces(2L << 30);
        var stream = pdf.Add([.. Encoding.Latin1.GetBytes($"<< /Length {compressed.Length} /Filter /FlateDecode >>\nstream\n"), .. compressed, .. "\nendstream"u8]);
        pdf.Page([stream]);

        var bytes = pdf.Build();
        ReportImporter.ImportText("");
        var watch = Stopwatch.StartNew();
        var result = ReportImporter.ImportPdf(bytes, ImporterTestOptions.Production);

        Assert.True(watch.Elapsed < TestImports.Guard, $"{watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(ImportLimit.DecodedBytes, result.Refusal?.Limit);
        Assert.Equal("Page 1 of the PDF draws more than 1 MiB of content, counting forms drawn inside one another each time (page content limit 1 MiB).", result.Refusal!.Reason);
    }

    [Fact]
    public void Many_compressed_streams_stop_at_the_decoded_bytes_limit()
    {
        // Forty streams of 3 MiB, two a page (under a page limit raised to 8 MiB), 120 MiB in all.
        var pdf = new PdfBuilder();
        var compressed = PdfBuilder.ZlibOfSpaces(3L << 20);
        var streams = Enumerable.Range(0, 40).Select(_ => pdf.Stream(compressed, compress: false, "/Filter /FlateDecode")).ToArray();
        for (var i = 0; i < 40; i += 2)
        {
            pdf.Page([streams[i], streams[i + 1]]);
        }

        var result = TestImports.Timed(() => ReportImporter.ImportPdf(pdf.Build(), ImporterOptions.Default with { MaxPageContentBytes = 8L << 20 }));

        Assert.Equal(ImportLimit.DecodedBytes, result.Refusal?.Limit);
        Assert.Contains("decoded bytes limit 64 MiB", result.Refusal!.Reason);
    }

    [Fact]
    public void Forms_drawn_inside_one_another_are_refused_before_the_page_is_laid_out()
    {
        // A form drawing a form a thousand times, drawing a form a thousand times, drawing a letter: a billion
        // letters from a few kilobytes, none of them compressed.
        var pdf = new PdfBuilder();
        var letter = pdf.Stream("BT /F1 1 Tf 0 0 Td (x) Tj ET", extra: $"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /Font << /F1 {pdf.Font} 0 R >> >>");
        var middle = pdf.Stream(string.Concat(Enumerable.Repeat("/L Do ", 1000)), extra: $"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /L {letter} 0 R >> >>");
        var outer = pdf.Stream(string.Concat(Enumerable.Repeat("/M Do ", 1000)), extra: $"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /M {middle} 0 R >> >>");
        pdf.Page([pdf.Stream("/O Do")], $"/O {outer} 0 R");

        var result = TestImports.Timed(() => ReportImporter.ImportPdf(pdf.Build(), ImporterTestOptions.Production));

        Assert.Equal(ImportLimit.DecodedBytes, result.Refusal?.Limit);
        Assert.Contains("Page 1 of the PDF draws more than 1 MiB", result.Refusal!.Reason);
    }

    [Fact]
    public void A_page_showing_more_text_than_a_page_holds_is_refused_before_it_is_laid_out()
    {
        // 200 KiB of letters in one string: PdfPig would make 200,000 letters in one call (seconds, hundreds of MiB).
        var pdf = new PdfBuilder();
        pdf.Page([pdf.Stream("BT /F1 1 Tf 0 0 Td (" + new string('x', 200 << 10) + ") Tj ET", compress: true)]);

        var result = TestImports.Timed(() => ReportImporter.ImportPdf(pdf.Build(), ImporterTestOptions.Production));

        Assert.Equal(ImportLimit.DecodedBytes, result.Refusal?.Limit);
        Assert.Equal(32 << 10, result.Refusal!.Value);
        Assert.StartsWith("Page 1 of the PDF shows more than 32 KiB of text", result.Refusal.Reason);
    }

    [Fact]
    public void A_form_that_draws_itself_is_refused()
    {
        var pdf = new PdfBuilder();
        // Object numbers are known in advance: the form is the next object, and names itself.
        var self = 4;
        var form = pdf.Stream("/S Do", extra: $"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /S {self} 0 R >> >>");
        Assert.Equal(self, form);
        pdf.Page([pdf.Stream("/S Do")], $"/S {form} 0 R");

        var result = TestImports.Timed(() => ReportImporter.ImportPdf(pdf.Build(), ImporterTestOptions.Production));

        Assert.Equal(ImportLimit.DecodedBytes, result.Refusal?.Limit);
    }

    [Fact]
    public void A_page_of_text_and_no_template_is_not_a_report()
    {
        var pdf = new PdfBuilder();
        pdf.Page([pdf.Stream("BT /F1 12 Tf 72 720 Td (Annual report, nothing else) Tj ET", compress: true)]);

        var result = TestImports.Timed(() => ReportImporter.ImportPdf(pdf.Build()));

        Assert.Null(result.Unreadable);
        Assert.Null(result.Refusal);
        Assert.False(result.IsReport);
        Assert.Contains("No table of the annual report template", Assert.Single(result.Diagnostics).Reason);
    }

    [Fact]
    public void An_octet_stream_is_read_by_its_first_bytes()
    {
        var result = ReportImporter.Import(Fixtures.Bytes("pingtan-2021", "pdf"), "application/octet-stream", null);

        FixtureTests.AssertExact("pingtan-2021", result);
    }

    [Theory]
    [InlineData("application/msword")]
    [InlineData("application/octet-stream")]
    public void A_word_97_file_is_unsupported_naming_docx_and_pdf(string mediaType)
    {
        byte[] ole2 = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]];

        var result = ReportImporter.Import(ole2, mediaType, null);

        Assert.Equal(UnreadableKind.UnsupportedFormat, result.Unreadable?.Kind);
        Assert.Contains(".docx", result.Unreadable!.Reason);
        Assert.Contains("PDF", result.Unreadable.Reason);
    }

}
