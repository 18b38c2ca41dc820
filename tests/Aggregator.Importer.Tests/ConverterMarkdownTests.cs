using Aggregator.Domain;

namespace Aggregator.Importer.Tests;

/// <summary>
/// Issue #13: text converted from PDF by OCR and converter tools into markdown pipe tables, labels and numbers on
/// different rows, rows without labels. tests/Fixtures/markdown/pingtan-2021.converter.md is written by
/// make-converter-markdown.py beside it from the hand-read values, with those faults put in by hand (not a
/// converter's output). An unlabelled row is placed only where exactly one placement keeps the template's order and
/// R1–R3; otherwise the rows it may belong to are blank with a blocking diagnostic naming them.
/// </summary>
public sealed class ConverterMarkdownTests
{
    private static readonly string Markdown = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "markdown", "pingtan-2021.converter.md"));

    private static string Edit(string from, string to)
    {
        Assert.Contains(from, Markdown);
        return Markdown.Replace(from, to);
    }

    [Fact]
    public void Rows_whose_numbers_lost_their_label_are_placed_by_order_and_arithmetic()
    {
        var result = ReportImporter.ImportText(Markdown);

        FixtureTests.AssertExact("pingtan-2021", result);
        var placed = result.Diagnostics.Where(d => d.Reason.Contains("without its label")).Select(d => d.Path).Order().ToArray();
        Assert.Equal(["applications.denied.internalAffairs", "applications.newlyReceived", "applications.totalHandled", "applications.unableToProvide.notHeld"], placed);
    }

    [Fact]
    public void A_label_printed_with_empty_cells_above_its_numbers_is_not_read_as_blank()
    {
        // Without the numbers row under it (lost by the converter), 本年新收 is a label with seven empty cells: its
        // numbers are missing, not blank, since the table holds unlabelled rows; nothing fits, nothing is guessed.
        var result = ReportImporter.ImportText(Edit("| | 64 | 0 | 0 | 2 | 0 | 4 | 70 |\n", ""));

        Assert.Empty(CellComparison.Compare(Fixtures.Document("pingtan-2021"), result).Wrong);
        var newlyReceived = result.Diagnostics.Where(d => d.Path.StartsWith("applications.newlyReceived.", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, newlyReceived.Count);
        Assert.All(newlyReceived, d => Assert.Equal(DiagnosticSeverity.Blocking, d.Severity));
        Assert.Contains("rows without labels", newlyReceived[0].Reason);
        Assert.Null(result.Document!.Get("applications.newlyReceived", Applicant.Total));
    }

    [Fact]
    public void One_unlabelled_row_for_two_missing_rows_is_placed_nowhere()
    {
        // 本机关不掌握 loses its numbers and 没有现成信息 its label: the zeros may be either row's, and with the other
        // row unknown R3 cannot tell.
        var text = Edit("| | 22 | 0 | 0 | 0 | 0 | 3 | 25 |\n", "")
            .Replace("| 2.没有现成信息需要另行制作 | 0 |", "| | 0 |");

        var result = ReportImporter.ImportText(text);

        Assert.Empty(CellComparison.Compare(Fixtures.Document("pingtan-2021"), result).Wrong);
        foreach (var row in new[] { "applications.unableToProvide.notHeld", "applications.unableToProvide.needsCreation" })
        {
            Assert.Null(result.Document!.Get(row, Applicant.NaturalPerson));
            Assert.Contains(result.Diagnostics, d => d.Path == $"{row}.naturalPerson" && d.Severity == DiagnosticSeverity.Blocking && d.Reason.Contains("no placement"));
        }
    }

    [Fact]
    public void An_unlabelled_row_that_breaks_the_arithmetic_is_not_placed()
    {
        // 三类内部事务信息's unlabelled numbers with a total that is not their sum: R2 fails wherever they go.
        var result = ReportImporter.ImportText(Edit("| | 1 | 0 | 0 | 0 | 0 | 0 | 1 |", "| | 1 | 0 | 0 | 0 | 0 | 0 | 2 |"));

        Assert.Empty(CellComparison.Compare(Fixtures.Document("pingtan-2021"), result).Wrong);
        Assert.Null(result.Document!.Get("applications.denied.internalAffairs", Applicant.Total));
        Assert.Contains(result.Diagnostics, d => d is { Path: "applications.denied.internalAffairs.total", Severity: DiagnosticSeverity.Blocking });
    }

    [Fact]
    public void Rows_in_the_wrong_order_are_not_placed()
    {
        // The numbers of 5.属于三类内部事务信息 moved below 6.属于四类过程性信息: between 6 and 7 no row is missing.
        var text = Edit("| | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n| 6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
            "| 6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n| | 1 | 0 | 0 | 0 | 0 | 0 | 1 |");

        var result = ReportImporter.ImportText(text);

        Assert.Empty(CellComparison.Compare(Fixtures.Document("pingtan-2021"), result).Wrong);
        Assert.Null(result.Document!.Get("applications.denied.internalAffairs", Applicant.NaturalPerson));
    }

    [Fact]
    public void Empty_pipe_cells_keep_their_columns()
    {
        var text = Edit("| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |", "| 二、上年结转政府信息公开申请数量 | 0 | | | | | | 0 |")
            .Replace("| 三、本年度办理结果 （一）予以公开 | 27 | 0 | 0 | 2 | 0 | 1 | 30 |", "| 三、本年度办理结果 （一）予以公开 | 27 | | | 2 | | 1 | 30 |");

        var document = ReportImporter.ImportText(text).Document!;

        Assert.Equal(0m, document.Get("applications.carriedOver", Applicant.NaturalPerson));
        Assert.Null(document.Get("applications.carriedOver", Applicant.Commercial));
        Assert.Equal(0m, document.Get("applications.carriedOver", Applicant.Total));
        Assert.Equal(2m, document.Get("applications.granted", Applicant.PublicInterest));
        Assert.Null(document.Get("applications.granted", Applicant.LegalService));
        Assert.Equal(1m, document.Get("applications.granted", Applicant.OtherOrganization));
    }
}
