using System.Text;

namespace Aggregator.Importer.Html;

/// <summary>Builds the text rendered from HTML line by line, collapsing whitespace as a browser does, and records each line's HTML source line.</summary>
internal sealed class RenderedText
{
    private readonly StringBuilder text = new();
    private readonly List<int> sourceLines = [];
    private int lineStart;
    private int currentSource = 1;
    private bool pendingSpace;

    public string Text => text.ToString();

    /// <summary>The HTML source line of each rendered line.</summary>
    public int[] SourceLines => [.. sourceLines, currentSource];

    /// <summary>Empties the text to render another piece with the same buffers.</summary>
    public void Clear()
    {
        text.Clear();
        sourceLines.Clear();
        lineStart = 0;
        currentSource = 1;
        pendingSpace = false;
    }

    /// <summary>Appends running text: whitespace runs become one space; no space opens a line.</summary>
    public void Append(string value, int source)
    {
        foreach (var c in value)
        {
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                pendingSpace = text.Length > lineStart;
                continue;
            }
            StartContent(source);
            if (pendingSpace)
            {
                text.Append(' ');
                pendingSpace = false;
            }
            text.Append(c);
        }
    }

    /// <summary>Appends text verbatim (a cell's leading tab).</summary>
    public void AppendRaw(string value, int source)
    {
        StartContent(source);
        pendingSpace = false;
        text.Append(value);
    }

    /// <summary>Ends the current line if it has content.</summary>
    public void EndLine()
    {
        pendingSpace = false;
        if (text.Length > lineStart)
        {
            NewLine();
        }
    }

    /// <summary>Ends the current line and leaves one empty line (a table row break).</summary>
    public void BlankLine()
    {
        EndLine();
        if (text.Length >= 2 && text[^1] == '\n' && text[^2] != '\n')
        {
            NewLine();
        }
    }

    private void StartContent(int source)
    {
        if (text.Length == lineStart)
        {
            currentSource = source;
        }
    }

    private void NewLine()
    {
        text.Append('\n');
        sourceLines.Add(currentSource);
        lineStart = text.Length;
    }
}
