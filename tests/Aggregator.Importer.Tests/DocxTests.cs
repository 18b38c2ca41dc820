using System.IO.Compression;
using System.Text;
using Aggregator.Domain;
using Cell = Aggregator.Importer.Tests.DocxBuilder.Cell;
using DocumentFormat.OpenXml.Wordprocessing;
using static Aggregator.Importer.Tests.DocxBuilder;

namespace Aggregator.Importer.Tests;

/// <summary>
/// Issue #13: Word files (.docx) read from their own tables, gridSpan and vMerge honoured; Word 97–2003 and damaged
/// files unreadable naming why; zip bombs, deep nesting and huge tables bounded. tests/Fixtures/reports/*.docx were
/// made from the published pages with LibreOffice, tests/Fixtures/docx/*.pandoc.docx with pandoc (each folder's
/// README.md says how); the other shapes are written by <see cref="DocxBuilder"/>.
/// </summary>
public sealed class DocxTests
{
    [Theory]
    [InlineData("pingtan-2021")]
    [InlineData("shuyang-fgj-2023")]
    public void A_word_file_made_from_the_page_imports_to_its_expected_document(string name)
    {
        var result = Fixtures.Import(name, "docx");

        FixtureTests.AssertExact(name, result);
        Assert.Empty(result.Findings);
        Assert.Equal(Fixtures.Expected(name)["year"]!.GetValue<int>(), result.Year);
        Assert.NotNull(result.Document!.Overview);
    }

    [Theory]
    [InlineData("pingtan-2021")]
    [InlineData("shuyang-fgj-2023")]
    public void A_word_file_made_by_pandoc_imports_to_its_expected_document(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "docx", $"{name}.pandoc.docx"));

        FixtureTests.AssertExact(name, ReportImporter.Import(bytes, Fixtures.MediaTypes["docx"], null));
    }

    private static IEnumerable<Cell> Row(string label, params string[] values) => [new Cell(label), .. values.Select(v => new Cell(v))];

    private static DocxBuilder Report(IEnumerable<IEnumerable<Cell>> applications) => new DocxBuilder()
        .Paragraph("某县交通运输局2023年政府信息公开工作年度报告")
        .Paragraph("一、总体情况")
        .Paragraph("二、主动公开政府信息情况")
        .Table([Row("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"), Row("规章", "0", "0", "0")])
        .Paragraph("三、收到和处理政府信息公开申请情况")
        .Table(applications);

    [Fact]
    public void A_number_merged_down_over_rows_is_read_where_it_starts_and_unreadable_below()
    {
        var docx = Report(
        [
            [new Cell("一、本年新收政府信息公开申请数量"), new Cell("3", Merge: MergedCellValues.Restart), new("0"), new("0"), new("0"), new("0"), new("0"), new("3")],
            [new Cell("二、上年结转政府信息公开申请数量"), new Cell("", Merge: MergedCellValues.Continue), new("0"), new("0"), new("0"), new("0"), new("0"), new("0")],
        ]).Build();

        var result = ReportImporter.ImportDocx(docx);

        Assert.Equal(3m, result.Document!.Get("applications.newlyReceived", Applicant.NaturalPerson));
        Assert.Null(result.Document.Get("applications.carriedOver", Applicant.NaturalPerson));
        var merged = Assert.Single(result.Diagnostics, d => d.Path == "applications.carriedOver.naturalPerson");
        Assert.Equal(DiagnosticSeverity.Blocking, merged.Severity);
        Assert.Contains("merged", merged.Reason);
        Assert.Equal(0m, result.Document.Get("applications.carriedOver", Applicant.Total));
    }

    [Fact]
    public void A_blank_merged_down_stays_blank_and_a_label_spanning_columns_is_written_once()
    {
        var docx = Report(
        [
            [new Cell("一、本年新收政府信息公开申请数量"), new Cell("", Merge: MergedCellValues.Restart), new("1"), new(""), new(""), new(""), new(""), new("1")],
            [new Cell("二、上年结转政府信息公开申请数量"), new Cell("", Merge: MergedCellValues.Continue), new("0"), new(""), new(""), new(""), new(""), new("0")],
            [new Cell("（七）总计", Span: 2), new("4"), new(""), new(""), new(""), new(""), new(""), new("4")],
        ]).Build();

        var document = ReportImporter.ImportDocx(docx).Document!;

        Assert.Null(document.Get("applications.carriedOver", Applicant.NaturalPerson));
        Assert.Equal(0m, document.Get("applications.carriedOver", Applicant.Commercial));
        Assert.Equal(4m, document.Get("applications.totalHandled", Applicant.NaturalPerson));
        Assert.Null(document.Get("applications.totalHandled", Applicant.Commercial));
        Assert.Equal(4m, document.Get("applications.totalHandled", Applicant.Total));
    }

    [Fact]
    public void A_diagnostic_names_the_paragraph_of_its_row()
    {
        // Paragraphs 1-3, the part 二 table's rows 4-5, paragraph 6, then the part 三 table's first row is 7.
        var docx = Report([Row("一、本年新收政府信息公开申请数量", "约3", "0", "0", "0", "0", "0", "3")]).Build();

        var diagnostic = Assert.Single(ReportImporter.ImportDocx(docx).Diagnostics, d => d.Path == "applications.newlyReceived.naturalPerson");

        Assert.Equal(7, diagnostic.Line);
        Assert.Contains("约3", diagnostic.Reason);
    }

    [Fact]
    public void A_word_97_file_sent_as_docx_is_unsupported_naming_docx_and_pdf()
    {
        byte[] ole2 = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]];

        var result = ReportImporter.Import(ole2, Fixtures.MediaTypes["docx"], null);

        Assert.Equal(UnreadableKind.UnsupportedFormat, result.Unreadable?.Kind);
        Assert.Contains(".docx", result.Unreadable!.Reason);
        Assert.Contains("PDF", result.Unreadable.Reason);
    }

    [Fact]
    public void Bytes_that_are_not_a_zip_are_a_damaged_word_file()
    {
        var result = ReportImporter.ImportDocx(Encoding.UTF8.GetBytes("本年新收政府信息公开申请数量"));

        Assert.Equal(UnreadableKind.Damaged, result.Unreadable?.Kind);
        Assert.StartsWith("The Word file cannot be read", result.Unreadable!.Reason);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.6)]
    [InlineData(0.95)]
    public void A_truncated_word_file_is_damaged_or_read_right_or_blank(double kept)
    {
        var bytes = Fixtures.Bytes("pingtan-2021", "docx");

        var result = TestImports.Timed(() => ReportImporter.ImportDocx(bytes[..(int)(bytes.Length * kept)]));

        CellComparison.AssertUnreadableOrNeverWrong(Fixtures.Document("pingtan-2021"), result);
    }

    [Fact]
    public void A_zip_bomb_stops_at_the_decoded_bytes_limit()
    {
        // The fixture with a part of 80 MiB of zeros added (about 80 KB compressed).
        var bytes = WithPart(Fixtures.Bytes("pingtan-2021", "docx"), "word/media/bomb.bin", 80L << 20);

        var result = TestImports.Timed(() => ReportImporter.ImportDocx(bytes, ImporterTestOptions.Production));

        Assert.Equal(ImportLimit.DecodedBytes, result.Refusal?.Limit);
        Assert.Contains("decoded bytes limit 64 MiB", result.Refusal!.Reason);
    }

    [Fact]
    public void A_part_that_lies_about_its_size_is_read_no_further_than_it_declares()
    {
        // 256 MiB of zeros declared as 100 bytes: .NET's zip reader stops at the declared size, so the guard counts
        // 100 bytes, not the 256 MiB past the 64 MiB limit.
        var bytes = WithPart(Fixtures.Bytes("pingtan-2021", "docx"), "word/media/liar.bin", 256L << 20);
        LieAboutSize(bytes, "word/media/liar.bin", 100);

        var result = TestImports.Timed(() => ReportImporter.ImportDocx(bytes));

        Assert.Null(result.Refusal);
        FixtureTests.AssertExact("pingtan-2021", result);
    }

    [Fact]
    public void Tables_nested_300_deep_are_refused_naming_the_nesting_depth_limit()
    {
        var docx = new DocxBuilder().Nested(300).Build();

        var result = TestImports.Timed(() => ReportImporter.ImportDocx(docx));

        Assert.Equal(ImportLimit.NestingDepth, result.Refusal?.Limit);
    }

    [Fact]
    public void A_table_of_40000_cells_is_refused_naming_the_table_cells_limit()
    {
        var docx = new DocxBuilder().Paragraph("本年新收政府信息公开申请数量")
            .Table(Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 200).Select(_ => new Cell("1")))).Build();

        var result = TestImports.Timed(() => ReportImporter.ImportDocx(docx));

        Assert.Equal(ImportLimit.TableCells, result.Refusal?.Limit);
        Assert.Contains("Word file holds more than 20,000 table cells", result.Refusal!.Reason);
    }

    private static byte[] WithPart(byte[] docx, string name, long zeros)
    {
        using var stream = new MemoryStream();
        stream.Write(docx);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var part = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
            var chunk = new byte[1 << 20];
            for (var left = zeros; left > 0; left -= chunk.Length)
            {
                part.Write(chunk, 0, (int)Math.Min(left, chunk.Length));
            }
        }
        return stream.ToArray();
    }

    /// <summary>Writes a smaller uncompressed size for an entry into its local header and its central directory record.</summary>
    private static void LieAboutSize(byte[] zip, string name, uint size)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name);
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4 && zip.AsSpan(i + 30).StartsWith(nameBytes))
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + 22, 4), size);
            }
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2 && zip.AsSpan(i + 46).StartsWith(nameBytes))
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + 24, 4), size);
            }
        }
    }

}
