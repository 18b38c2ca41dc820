using System.Diagnostics;
using System.Text;

namespace Aggregator.Importer.Tests;

/// <summary>What the importer tests share: an import that must finish within a guard, and the text edits the fuzz tests make.</summary>
internal static class TestImports
{
    /// <summary>A wall-clock guard for single hostile inputs (generous: the budgets and limits are what is tested).</summary>
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(3);

    public static ImportResult Timed(Func<ImportResult> import)
    {
        ReportImporter.ImportText(""); // the first import of the process warms up outside the measurement
        var watch = Stopwatch.StartNew();
        var result = import();
        Assert.True(watch.Elapsed < Guard, $"The import took {watch.Elapsed.TotalMilliseconds:0} ms.");
        return result;
    }

    /// <summary>
    /// A text with edits made in turn, each at a fraction of its length: 0 inserts a snippet <c>Repeat</c> times,
    /// 1 removes up to 500 characters, anything else doubles them.
    /// </summary>
    public static string Edited(string source, (int Op, double At, int Snippet, int Repeat)[] edits, string[] snippets)
    {
        var text = new StringBuilder(source);
        foreach (var (op, at, snippet, repeat) in edits)
        {
            var position = (int)(at * text.Length);
            var length = Math.Min(text.Length - position, 1 + repeat % 500);
            switch (op)
            {
                case 0:
                    text.Insert(position, snippets[snippet], repeat);
                    break;
                case 1:
                    text.Remove(position, length);
                    break;
                default:
                    text.Insert(position, text.ToString(position, length));
                    break;
            }
        }
        return text.ToString();
    }
}
