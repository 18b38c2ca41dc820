using System.Text;

namespace Aggregator.Importer.Text;

/// <summary>The text a PDF or Word file is rendered to, line by line, with where each line comes from (a PDF's page, a Word file's paragraph): the diagnostics' line.</summary>
internal sealed class LayoutText
{
    private readonly StringBuilder text = new();
    private readonly List<int> pages = [];

    public string Text => text.ToString();

    /// <summary>Where each rendered line comes from.</summary>
    public int[] Pages => [.. pages, pages.Count > 0 ? pages[^1] : 1];

    /// <summary>Tab-led lines written: the cell layout needs enough of them to be read as cells.</summary>
    public int Cells { get; private set; }

    public void Line(string line, int source)
    {
        text.Append(line).Append('\n');
        pages.Add(source);
    }

    /// <summary>An empty line, once: the end of a table row.</summary>
    public void BlankLine(int source)
    {
        if (text.Length > 0 && !(text.Length >= 2 && text[^1] == '\n' && text[^2] == '\n'))
        {
            Line("", source);
        }
    }

    /// <summary>A cell: a tab-led line (an empty cell is the tab alone).</summary>
    public void Cell(string cell, int source)
    {
        Line("\t" + cell, source);
        Cells++;
    }
}
