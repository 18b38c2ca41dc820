using System.Text;
using System.Text.RegularExpressions;

namespace Aggregator.Importer.Text;

/// <summary>
/// Markdown pipe tables (what PDF-to-markdown converters and OCR tools write) as the cell layout: each cell of a
/// "| … | … |" row on its own tab-led line, an empty cell an empty one, an empty line after each row, so a blank cell
/// keeps its column. Separator rows ("|---|:--:|") are dropped; "**" and "&lt;br&gt;" inside cells are dropped. Lines
/// outside tables stay as they are; every line keeps the source line it came from.
/// </summary>
internal static partial class PipeTables
{
    // Fewer pipe rows than this and the text is left as it is.
    private const int MinRows = 4;

    /// <summary>The text in the cell layout with the source line of each line, or null when it holds no pipe table.</summary>
    public static (string Text, int[] SourceLines)? Render(string text, ImportBudget budget)
    {
        var lines = text.Split('\n');
        if (lines.Count(IsRow) < MinRows)
        {
            return null;
        }
        var output = new StringBuilder(text.Length + text.Length / 2);
        var sources = new List<int>(lines.Length * 2);
        void Line(string line, int source)
        {
            output.Append(line).Append('\n');
            sources.Add(source);
        }
        for (var i = 0; i < lines.Length; i++)
        {
            budget.Step();
            var line = lines[i].TrimEnd('\r');
            if (!IsRow(line))
            {
                Line(line, i + 1);
                continue;
            }
            var cells = Cells(line);
            if (cells.All(c => Separator().IsMatch(c)))
            {
                continue;
            }
            if (sources.Count > 0 && output.Length > 1 && output[^2] != '\n')
            {
                Line("", i + 1);
            }
            foreach (var cell in cells)
            {
                budget.Step();
                Line("\t" + Markup().Replace(cell, "").Trim(), i + 1);
            }
            Line("", i + 1);
        }
        sources.Add(lines.Length);
        return (output.ToString(), [.. sources]);
    }

    private static bool IsRow(string line)
    {
        var trimmed = line.AsSpan().Trim();
        return trimmed.Length >= 2 && trimmed[0] == '|' && trimmed[1..].Contains('|');
    }

    /// <summary>The cells between the pipes; an escaped pipe ("\|") stays in its cell.</summary>
    private static List<string> Cells(string line)
    {
        var trimmed = line.Trim();
        var cells = new List<string>();
        var cell = new StringBuilder();
        for (var i = 1; i < trimmed.Length; i++)
        {
            if (trimmed[i] == '\\' && i + 1 < trimmed.Length && trimmed[i + 1] == '|')
            {
                cell.Append('|');
                i++;
            }
            else if (trimmed[i] == '|')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(trimmed[i]);
            }
        }
        if (cell.ToString().Trim().Length > 0)
        {
            cells.Add(cell.ToString());
        }
        return cells;
    }

    [GeneratedRegex(@"^\s*:?-{3,}:?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Separator();

    [GeneratedRegex(@"\*\*|__|<br\s*/?>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Markup();
}
