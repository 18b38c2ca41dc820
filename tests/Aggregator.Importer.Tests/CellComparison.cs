using Aggregator.Domain;

namespace Aggregator.Importer.Tests;

/// <summary>An imported document compared cell by cell with the one read off the report by hand.</summary>
public sealed record CellComparison(int Right, int BlankWithDiagnostic, IReadOnlyList<string> Wrong)
{
    public int Cells => Right + BlankWithDiagnostic + Wrong.Count;

    /// <summary>
    /// A cell is right when it equals the expected value (blank for blank); blank-with-diagnostic when it is blank,
    /// the expected value is not, and a Blocking diagnostic names its path; wrong otherwise.
    /// </summary>
    public static CellComparison Compare(ReportDocument expected, ImportResult result)
    {
        var actual = result.Document ?? throw new InvalidOperationException("No document was imported.");
        var blocked = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Blocking).Select(d => d.Path).ToHashSet();
        int right = 0, blank = 0;
        var wrong = new List<string>();
        Assert.Equal(expected.Edition, actual.Edition);
        foreach (var cell in expected.Fields)
        {
            var value = actual.Get(cell.Metric, cell.Applicant);
            if (value == cell.Value)
            {
                right++;
            }
            else if (value is null && blocked.Contains(cell.Path))
            {
                blank++;
            }
            else
            {
                wrong.Add($"{cell.Path}: expected {Show(cell.Value)}, imported {Show(value)}");
            }
        }
        return new CellComparison(right, blank, wrong);
    }

    /// <summary>
    /// As <see cref="Compare"/>, and a result with no document (not read, refused) counts every expected cell as
    /// not read, provided it says why with a Blocking diagnostic.
    /// </summary>
    public static CellComparison CompareOrUnread(ReportDocument expected, ImportResult result)
    {
        if (result.Document is not null)
        {
            return Compare(expected, result);
        }
        Assert.True(result.HasBlockingDiagnostics, "A result with no document says why with a blocking diagnostic.");
        return new CellComparison(0, expected.Fields.Count(), []);
    }

    /// <summary>A damaged or cut file: unreadable, or read with no cell wrong (blank cells said so).</summary>
    public static void AssertUnreadableOrNeverWrong(ReportDocument expected, ImportResult result)
    {
        if (result.Document is not null)
        {
            Assert.Empty(Compare(expected, result).Wrong);
        }
        else
        {
            Assert.True(result.Unreadable is not null || result.HasBlockingDiagnostics);
        }
    }

    private static string Show(decimal? value) => value?.ToString() ?? "blank";
}
