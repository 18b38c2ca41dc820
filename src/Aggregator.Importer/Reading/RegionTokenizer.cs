using System.Text.RegularExpressions;
using Aggregator.Importer.Text;

namespace Aggregator.Importer.Reading;

/// <summary>
/// Cuts the text between a row label and whatever follows it into tokens. In the cell layout every tab-led line is a
/// cell (an empty one is a blank), a non-tab line continues the cell above it (a header broken inside a word) and an
/// empty line ends the table row. In free layout (pdftotext columns, cells glued together) the numbers are taken in
/// order and the words between them dropped.
/// </summary>
internal static partial class RegionTokenizer
{
    public static List<Token> Tokenize(SourceText source, int start, int end)
    {
        var tokens = new List<Token>();
        if (source.HasCells)
        {
            Cells(source.Text, start, end, tokens);
        }
        else
        {
            Free(source.Text, start, end, tokens);
        }
        return tokens;
    }

    /// <summary>The tokens of the table row that starts the region: up to the first row break after a cell.</summary>
    public static List<Token> FirstRow(List<Token> tokens)
    {
        var row = new List<Token>();
        foreach (var token in tokens)
        {
            if (token.Kind == TokenKind.RowBreak)
            {
                if (row.Count > 0)
                {
                    break;
                }
                continue;
            }
            row.Add(token);
        }
        return row;
    }

    private static void Cells(string text, int start, int end, List<Token> tokens)
    {
        var lineEnd = LineEnd(text, start);
        // The rest of the label's own line: a row collapsed onto one line carries its numbers there.
        Free(text, start, Math.Min(lineEnd, end), tokens);
        for (var pos = lineEnd + 1; pos < end; pos = lineEnd + 1)
        {
            lineEnd = LineEnd(text, pos);
            if (lineEnd > end)
            {
                break; // the line of the next label: its leading cells belong to the next row
            }
            var line = text.AsSpan(pos, lineEnd - pos);
            if (line.IsWhiteSpace() && !line.Contains('\t'))
            {
                tokens.Add(new Token(TokenKind.RowBreak, "", pos));
            }
            else if (line.TrimStart(' ').StartsWith('\t'))
            {
                var offset = pos + line.IndexOf('\t') + 1;
                foreach (var cell in text[offset..lineEnd].Split('\t'))
                {
                    tokens.Add(CellText.Read(cell, offset, inCell: true));
                    offset += cell.Length + 1;
                }
            }
            else if (tokens.Count > 0 && tokens[^1] is { InCell: true } previous)
            {
                tokens[^1] = CellText.Read(previous.Raw + line.Trim().ToString(), previous.Index, inCell: true);
            }
        }
    }

    private static int LineEnd(string text, int pos)
    {
        var end = text.IndexOf('\n', pos);
        return end < 0 ? text.Length : end;
    }

    private static void Free(string text, int start, int end, List<Token> tokens)
    {
        if (start >= end)
        {
            return;
        }
        var region = text.ToCharArray(start, end - start);
        foreach (var span in Boilerplate().EnumerateMatches(region))
        {
            region.AsSpan(span.Index, span.Length).Fill(' ');
        }
        var chunks = new string(region).Split([' ', '\t', '\n'], StringSplitOptions.None);
        var offset = start;
        for (var i = 0; i < chunks.Length; i++)
        {
            var chunk = chunks[i];
            if (chunk.Length > 0)
            {
                // Digits touching the label before or after the region were printed against it: "公开270020130(二)部分公开".
                var touchesLabel = (i == 0 && start > 0 && !char.IsWhiteSpace(text[start - 1]))
                    || (i == chunks.Length - 1 && end < text.Length && !char.IsWhiteSpace(text[end]));
                // A unit printed apart from its number: "3940 元".
                if (i + 1 < chunks.Length && chunks[i + 1] is "元" or "万元" && CellText.TryNumber(chunk + chunks[i + 1]) is { } withUnit)
                {
                    tokens.Add(new Token(TokenKind.Number, chunk + chunks[i + 1], offset, withUnit));
                }
                else if (CellText.TryNumber(chunk) is { } number)
                {
                    tokens.Add(new Token(TokenKind.Number, chunk, offset, number, Glued: touchesLabel));
                }
                else
                {
                    GluedNumbers(chunk, offset, tokens);
                }
            }
            offset += chunk.Length + 1;
        }
    }

    // Numbers printed against words: "数量640020470", "情形)500000". Digits inside brackets (a note), numbering
    // ("1.属于"), dates and 第…条 are words, not cells.
    private static void GluedNumbers(string chunk, int offset, List<Token> tokens)
    {
        foreach (Match run in DigitRun().Matches(chunk))
        {
            var before = chunk.AsSpan(0, run.Index);
            var after = chunk.AsSpan(run.Index + run.Length);
            var depth = before.Count('(') + before.Count('[') + before.Count('【') - before.Count(')') - before.Count(']') - before.Count('】');
            var isNumbering = run.Length <= 2 && NumberingAfter().IsMatch(after);
            if (depth > 0 || isNumbering || before.EndsWith("第") || (after.Length > 0 && "年月日号%".Contains(after[0])))
            {
                continue;
            }
            var number = CellText.TryNumber(run.Value);
            if (number is not null)
            {
                tokens.Add(new Token(TokenKind.Number, run.Value, offset + run.Index, number, Glued: true));
            }
        }
    }

    [GeneratedRegex(@"(?<![\d.])\d+(?:\.\d+)?(?:万元|元)?", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"^\s*[、.]\s*\p{IsCJKUnifiedIdeographs}", RegexOptions.CultureInvariant)]
    private static partial Regex NumberingAfter();

    // Words of the table headers that may carry digits: "第二十条第(一)项", "第20条第(1)项", "(单位:万元)".
    [GeneratedRegex(@"第\s*[\d一二三四五六七八九十]+\s*条\s*第?\s*\(?\s*[\d一二三四五六七八九十]+\s*\)?\s*项|\(\s*单位\s*:\s*万?元\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex Boilerplate();
}
