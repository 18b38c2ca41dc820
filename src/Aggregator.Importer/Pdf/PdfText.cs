using System.Text;

namespace Aggregator.Importer.Pdf;

/// <summary>The text a PDF is rendered to, line by line, with the page each line comes from (the diagnostics' line of a PDF).</summary>
internal sealed class PdfText
{
    private readonly StringBuilder text = new();
    private readonly List<int> pages = [];

    public string Text => text.ToString();

    /// <summary>The page of each rendered line.</summary>
    public int[] Pages => [.. pages, pages.Count > 0 ? pages[^1] : 1];

    /// <summary>Tab-led lines written: the cell layout needs enough of them to be read as cells.</summary>
    public int Cells { get; private set; }

    public void Line(string line, int page)
    {
        text.Append(line).Append('\n');
        pages.Add(page);
    }

    /// <summary>An empty line, once: the end of a table row.</summary>
    public void BlankLine(int page)
    {
        if (text.Length > 0 && !(text.Length >= 2 && text[^1] == '\n' && text[^2] == '\n'))
        {
            Line("", page);
        }
    }

    /// <summary>A cell: a tab-led line (an empty cell is the tab alone).</summary>
    public void Cell(string cell, int page)
    {
        Line("\t" + cell, page);
        Cells++;
    }
}
