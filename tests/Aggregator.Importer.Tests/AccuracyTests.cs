using System.Text;
using Xunit.Abstractions;

namespace Aggregator.Importer.Tests;

/// <summary>
/// Every fixture in every published form, cell by cell against the document read off it by hand: no cell may be
/// wrong. The table gives each file and a total per format; a file the importer does not read at all counts every
/// cell as not read.
/// </summary>
public sealed class AccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void No_fixture_cell_is_imported_wrong()
    {
        var table = new StringBuilder();
        table.AppendLine($"{"fixture",-34} {"cells",6} {"right",6} {"blank+diag",11} {"wrong",6} {"read",7}");
        var totals = new Dictionary<string, (int Cells, int Right, int Blank, int Wrong)>();
        var wrongCells = new List<string>();
        foreach (var (name, format) in Fixtures.Files())
        {
            var comparison = CellComparison.CompareOrUnread(Fixtures.Document(name), Fixtures.Import(name, format));
            table.AppendLine(Line(name + "." + format, comparison.Cells, comparison.Right, comparison.BlankWithDiagnostic, comparison.Wrong.Count));
            var (c, r, b, w) = totals.GetValueOrDefault(format);
            totals[format] = (c + comparison.Cells, r + comparison.Right, b + comparison.BlankWithDiagnostic, w + comparison.Wrong.Count);
            wrongCells.AddRange(comparison.Wrong.Select(cell => $"{name}.{format} {cell}"));
        }
        foreach (var (format, (c, r, b, w)) in totals)
        {
            table.AppendLine(Line($"total {format}", c, r, b, w));
        }
        table.AppendLine(Line("total", totals.Values.Sum(t => t.Cells), totals.Values.Sum(t => t.Right), totals.Values.Sum(t => t.Blank), totals.Values.Sum(t => t.Wrong)));
        table.AppendLine("made here, not published (each folder's README.md says how):");
        foreach (var (file, name) in Variants)
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", file);
            var format = Path.GetExtension(file).TrimStart('.');
            var result = ReportImporter.Import(File.ReadAllBytes(path), ImportFormats.MediaTypeOfExtension(format) ?? "text/plain", null);
            var comparison = CellComparison.CompareOrUnread(Fixtures.Document(name), result);
            table.AppendLine(Line(Path.GetFileName(file), comparison.Cells, comparison.Right, comparison.BlankWithDiagnostic, comparison.Wrong.Count));
            wrongCells.AddRange(comparison.Wrong.Select(cell => $"{file} {cell}"));
        }
        output.WriteLine(table.ToString());
        Console.WriteLine(table.ToString());

        Assert.True(wrongCells.Count == 0, "Cells imported wrong:\n" + string.Join("\n", wrongCells));
    }

    /// <summary>Files made from the published ones to show other producers and converters: (path under Fixtures, fixture).</summary>
    private static readonly (string File, string Name)[] Variants =
    [
        ("markdown/pingtan-2021.converter.md", "pingtan-2021"),
        ("pdf/shuyang-fgj-2023.libreoffice.pdf", "shuyang-fgj-2023"),
        ("pdf/pingtan-2021.unruled.pdf", "pingtan-2021"),
        ("pdf/shuyang-fgj-2023.unruled.pdf", "shuyang-fgj-2023"),
        ("pdf/pingtan-2021.centred.pdf", "pingtan-2021"),
        ("pdf/shuyang-fgj-2023.centred.pdf", "shuyang-fgj-2023"),
        ("docx/pingtan-2021.pandoc.docx", "pingtan-2021"),
        ("docx/shuyang-fgj-2023.pandoc.docx", "shuyang-fgj-2023"),
        ("traditional/wusu-transport-2020.s2t.txt", "wusu-transport-2020"),
        ("traditional/pingtan-2022.s2hk.txt", "pingtan-2022"),
        ("traditional/shuyang-fgj-2023.s2tw.html", "shuyang-fgj-2023"),
    ];

    private static string Line(string label, int cells, int right, int blank, int wrong) =>
        $"{label,-34} {cells,6} {right,6} {blank,11} {wrong,6} {(cells == 0 ? 0 : 100.0 * right / cells),6:0.0}%";
}
