using System.Text;
using Xunit.Abstractions;

namespace Aggregator.Importer.Tests;

/// <summary>Every fixture in every published form, cell by cell against the document read off it by hand: no cell may be wrong.</summary>
public sealed class AccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void No_fixture_cell_is_imported_wrong()
    {
        var table = new StringBuilder();
        table.AppendLine($"{"fixture",-28} {"cells",6} {"right",6} {"blank+diag",11} {"wrong",6}");
        int right = 0, blank = 0, wrong = 0, cells = 0;
        var wrongCells = new List<string>();
        foreach (var (name, format) in Fixtures.Sources())
        {
            var comparison = CellComparison.Compare(Fixtures.Document(name), Fixtures.Import(name, format));
            table.AppendLine($"{name + "." + format,-28} {comparison.Cells,6} {comparison.Right,6} {comparison.BlankWithDiagnostic,11} {comparison.Wrong.Count,6}");
            right += comparison.Right;
            blank += comparison.BlankWithDiagnostic;
            wrong += comparison.Wrong.Count;
            cells += comparison.Cells;
            wrongCells.AddRange(comparison.Wrong.Select(w => $"{name}.{format} {w}"));
        }
        table.AppendLine($"{"total",-28} {cells,6} {right,6} {blank,11} {wrong,6}");
        output.WriteLine(table.ToString());
        Console.WriteLine(table.ToString());

        Assert.True(wrong == 0, "Cells imported wrong:\n" + string.Join("\n", wrongCells));
    }
}
