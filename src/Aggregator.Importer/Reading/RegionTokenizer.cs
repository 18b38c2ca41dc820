using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Aggregator.Importer.Text;

namespace Aggregator.Importer.Reading;

/// <summary>
/// Cuts the text between a row label and whatever follows it into tokens. In the cell layout every tab-led line is a
/// cell (an empty one is a blank), a non-tab line continues the cell above it (a header broken inside a word) and an
/// empty line ends the table row. In free layout (pdftotext columns, cells glued together) the numbers are taken in
/// order and the words between them dropped. A region gives at most <see cref="MaxTokens"/> tokens: no template row
/// or table has nearly as many, so a longer one is unreadable whatever follows.
/// </summary>
internal static partial class RegionTokenizer
{
    public const int MaxTokens = 4096;

    public static List<Token> Tokenize(SourceText source, int start, int end, ImportBudget budget)
    {
        var tokens = new List<Token>();
        if (source.HasCells)
        {
            Cells(source.Text, start, end, tokens, budget);
        }
        else
        {
            Free(source.Text, start, end, tokens, budget);
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

    private static void Cells(string text, int start, int end, List<Token> tokens, ImportBudget budget)
    {
        var lineEnd = LineEnd(text, start);
        // The rest of the label's own line: a row collapsed onto one line carries its numbers there.
        Free(text, start, Math.Min(lineEnd, end), tokens, budget);
        // A cell continued on the lines below it, read once it is complete (re-reading it at every line is quadratic).
        var continued = new StringBuilder();
        for (var pos = lineEnd + 1; pos < end && tokens.Count < MaxTokens; pos = lineEnd + 1)
        {
            budget.Step();
            lineEnd = LineEnd(text, pos);
            if (lineEnd > end)
            {
                break; // the line of the next label: its leading cells belong to the next row
            }
            var line = text.AsSpan(pos, lineEnd - pos);
            var isBreak = line.IsWhiteSpace() && !line.Contains('\t');
            var isCells = !isBreak && line.TrimStart(' ').StartsWith('\t');
            if (isBreak || isCells)
            {
                EndContinued(tokens, continued);
            }
            if (isBreak)
            {
                tokens.Add(new Token(TokenKind.RowBreak, "", pos));
            }
            else if (isCells)
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
                if (continued.Length == 0)
                {
                    continued.Append(previous.Raw);
                }
                continued.Append(line.Trim());
            }
        }
        EndContinued(tokens, continued);
    }

    private static void EndContinued(List<Token> tokens, StringBuilder continued)
    {
        if (continued.Length > 0)
        {
            tokens[^1] = CellText.Read(continued.ToString(), tokens[^1].Index, inCell: true);
            continued.Clear();
        }
    }

    private static int LineEnd(string text, int pos)
    {
        var end = text.IndexOf('\n', pos);
        return end < 0 ? text.Length : end;
    }

    private static readonly SearchValues<char> Separators = SearchValues.Create(" \t\n");

    private static void Free(string text, int start, int end, List<Token> tokens, ImportBudget budget)
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
        // The chunks between separators, one at a time: the region may be the rest of a long text.
        for (var at = 0; at <= region.Length && tokens.Count < MaxTokens;)
        {
            budget.Step();
            var chunkEnd = NextSeparator(region, at);
            if (chunkEnd > at)
            {
                var chunk = new string(region, at, chunkEnd - at);
                var offset = start + at;
                // Digits touching the label before or after the region were printed against it: "公开270020130(二)部分公开".
                var touchesLabel = (at == 0 && start > 0 && !char.IsWhiteSpace(text[start - 1]))
                    || (chunkEnd == region.Length && end < text.Length && !char.IsWhiteSpace(text[end]));
                // A unit printed apart from its number: "3940 元".
                var next = chunkEnd < region.Length ? region.AsSpan(chunkEnd + 1, NextSeparator(region, chunkEnd + 1) - chunkEnd - 1) : [];
                if (next is "元" or "万元" && CellText.TryNumber(chunk + next.ToString()) is { } withUnit)
                {
                    tokens.Add(new Token(TokenKind.Number, chunk + next.ToString(), offset, withUnit));
                }
                else if (CellText.TryNumber(chunk) is { } number)
                {
                    tokens.Add(new Token(TokenKind.Number, chunk, offset, number, Glued: touchesLabel));
                }
                else if (IsMinusBeforeNumber(chunk, next))
                {
                    // "12 - 3": the sign of 3 set apart, or a dash for a blank cell before a 3 of the next column.
                    tokens.Add(new Token(TokenKind.AmbiguousSign, chunk, offset));
                }
                else
                {
                    GluedNumbers(chunk, offset, tokens, budget);
                }
            }
            at = chunkEnd + 1;
        }
    }

    private static bool IsMinusBeforeNumber(string chunk, ReadOnlySpan<char> next) =>
        chunk.Length == 1 && CellText.IsDash(chunk[0]) && chunk[0] is not ('—' or '―') && next.Length > 0 && char.IsAsciiDigit(next[0]);

    private static int NextSeparator(char[] region, int from)
    {
        var next = region.AsSpan(from).IndexOfAny(Separators);
        return next < 0 ? region.Length : from + next;
    }

    // Numbers printed against words: "数量640020470", "情形)500000". Digits inside brackets (a note), numbering
    // ("1.属于"), dates and 第…条 are words, not cells. A minus belongs to the number that follows it ("收费12-3" is 12
    // and -3); a dash that cannot be told from a blank cell's dash ("12-" before words, "12—3") makes the row
    // unreadable rather than being dropped.
    private static void GluedNumbers(string chunk, int offset, List<Token> tokens, ImportBudget budget)
    {
        // The bracket depth before each run, counted on from the run before: counting from the chunk's start each time is quadratic.
        var depth = 0;
        var counted = 0;
        for (var run = DigitRun().Match(chunk); run.Success && tokens.Count < MaxTokens; run = run.NextMatch())
        {
            budget.Step();
            var before = chunk.AsSpan(0, run.Index);
            depth += Depth(chunk.AsSpan(counted, run.Index - counted));
            counted = run.Index;
            var after = chunk.AsSpan(run.Index + run.Length);
            var isNumbering = run.Length <= 2 && NumberingAfter().IsMatch(after);
            if (depth > 0 || isNumbering || before.EndsWith("第") || (after.Length > 0 && "年月日号%".Contains(after[0])))
            {
                continue;
            }
            if (!run.Groups["sign"].Success && before.Length > 0 && CellText.IsDash(before[^1])
                && !(tokens.Count > 0 && tokens[^1].Kind == TokenKind.AmbiguousSign && tokens[^1].Index == offset + run.Index - 1))
            {
                // "—3", "–3": a dash that is not a minus, against the digits.
                tokens.Add(new Token(TokenKind.AmbiguousSign, before[^1].ToString(), offset + run.Index - 1));
            }
            var number = CellText.TryNumber(run.Value);
            if (number is not null)
            {
                tokens.Add(new Token(TokenKind.Number, run.Value, offset + run.Index, number, Glued: true));
            }
            if (after.Length > 0 && CellText.IsDash(after[0]) && !(CellText.IsMinus(after[0]) && after.Length > 1 && char.IsAsciiDigit(after[1])))
            {
                // "12-" then words: the sign of a number lost, or a dash for a blank cell.
                tokens.Add(new Token(TokenKind.AmbiguousSign, after[0].ToString(), offset + run.Index + run.Length));
            }
        }
    }

    private static int Depth(ReadOnlySpan<char> text) =>
        text.Count('(') + text.Count('[') + text.Count('【') - text.Count(')') - text.Count(']') - text.Count('】');

    // A run of digits not continuing another; a minus in front of it is its sign, also right after digits ("12-3").
    [GeneratedRegex(@"(?:(?<sign>[-−])|(?<![\d.]))\d+(?:\.\d+)?(?:万元|元)?", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();

    [GeneratedRegex(@"^\s*[、.]\s*\p{IsCJKUnifiedIdeographs}", RegexOptions.CultureInvariant)]
    private static partial Regex NumberingAfter();

    // Words of the table headers that may carry digits: "第二十条第(一)项", "第20条第(1)项", "(单位:万元)". Every run of
    // spaces is taken whole (atomic), so a clause number followed by spaces and no 项 fails at once instead of trying
    // every way to share the spaces between the optional parts.
    [GeneratedRegex(@"第(?>\s*)(?>[0-9一二三四五六七八九十]+)(?>\s*)条(?>\s*)(?:第(?>\s*))?(?:\((?>\s*))?(?>[0-9一二三四五六七八九十]+)(?>\s*)(?:\)(?>\s*))?项|\((?>\s*)单位(?>\s*):(?>\s*)万?元(?>\s*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex Boilerplate();
}
