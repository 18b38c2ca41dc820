using Aggregator.Domain;

namespace Aggregator.Importer.Reading;

/// <summary>
/// Part 三 as converters and OCR print it: table rows of numbers whose label was lost or printed on a row of its own
/// (before or after them). The template's rows come in a fixed order and R1–R3 tie them together, so such a row is
/// placed only when exactly one placement fits: it goes to a row whose numbers are missing (its label not found, or
/// printed with no number), between the rows found with numbers before and after it, keeping the order, and the
/// placed rows keep R2 and every R1 and R3 they take part in, each of them in at least one. Otherwise the rows whose
/// numbers may be among them are left blank with a blocking diagnostic naming the row, never read as blank; so is a
/// label printed with empty cells anywhere in such a table (its numbers may be lost).
/// </summary>
internal static class UnlabelledRows
{
    private const int Columns = 7;
    private const long MaxCombinations = 100_000;

    private sealed record TableRow(int Start, int End, List<Token> Cells);

    private sealed record Unlabelled(int Index, Token[] Values, int Line);

    public static IReadOnlyList<RowReading> Place(ImportSession session, IReadOnlyList<RowReading> readings, int start, int end)
    {
        if (!session.Source.HasCells)
        {
            return readings;
        }
        var rows = TableRows(session, start, end);
        var labelled = readings.Where(r => r.Found).Select(r => r.Index).ToList();
        // Cells a found row already reads (a label ending its table row reads the next row's cells) are not unlabelled.
        var read = readings.SelectMany(r => r.Tokens).Select(t => t.Index).ToHashSet();
        var unlabelled = rows
            .Where(row => !labelled.Any(i => i >= row.Start && i < row.End) && !row.Cells.Any(c => read.Contains(c.Index)))
            .Select(row => Values(row, session))
            .OfType<Unlabelled>()
            .ToList();
        if (unlabelled.Count == 0)
        {
            return readings;
        }

        // The rows found with numbers order the others; a row is missing when not found or printed with no number.
        var missing = readings.Select(r => !r.Found || r.Tokens.All(t => t.Kind == TokenKind.Blank)).ToArray();
        var anchors = Enumerable.Range(0, readings.Count).Where(i => !missing[i]).ToList();
        var segments = new List<(List<int> Missing, List<Unlabelled> Rows)>();
        for (var a = -1; a < anchors.Count; a++)
        {
            var from = a < 0 ? -1 : anchors[a];
            var to = a + 1 < anchors.Count ? anchors[a + 1] : readings.Count;
            var fromIndex = from < 0 ? start : readings[from].Index;
            var toIndex = to < readings.Count ? readings[to].Index : end;
            var rowsHere = unlabelled.Where(u => u.Index > fromIndex && u.Index < toIndex).ToList();
            if (rowsHere.Count > 0)
            {
                segments.Add(([.. Enumerable.Range(from + 1, to - from - 1).Where(i => missing[i])], rowsHere));
            }
        }

        var choices = segments.Select(s => Injections(s.Missing.Count, s.Rows.Count)).ToList();
        long combinations = 1;
        foreach (var choice in choices)
        {
            combinations = choice.Count == 0 ? 0 : Math.Min(MaxCombinations + 1, combinations * choice.Count);
        }
        var fitting = new List<Dictionary<int, Unlabelled>>();
        if (combinations is > 0 and <= MaxCombinations)
        {
            var pick = new int[segments.Count];
            void Walk(int segment)
            {
                session.Budget.Step();
                if (fitting.Count > 1)
                {
                    return;
                }
                if (segment == segments.Count)
                {
                    var placement = new Dictionary<int, Unlabelled>();
                    for (var s = 0; s < segments.Count; s++)
                    {
                        var chosen = choices[s][pick[s]];
                        for (var k = 0; k < chosen.Length; k++)
                        {
                            placement[segments[s].Missing[chosen[k]]] = segments[s].Rows[k];
                        }
                    }
                    if (Fits(readings, missing, placement, session.Document.Edition))
                    {
                        fitting.Add(placement);
                    }
                    return;
                }
                for (pick[segment] = 0; pick[segment] < choices[segment].Count; pick[segment]++)
                {
                    Walk(segment + 1);
                }
            }
            Walk(0);
        }

        var placed = readings.ToArray();
        var lines = string.Join(", ", unlabelled.Select(u => u.Line));
        if (fitting.Count == 1)
        {
            foreach (var (row, values) in fitting[0])
            {
                placed[row] = readings[row] with { Found = true, Index = values.Index, Tokens = values.Values };
                session.Info(readings[row].Row.Code,
                    $"Row '{readings[row].Row.Label}' has its numbers on a table row without its label (line {values.Line}); it is the only placement of the unlabelled rows that keeps the template's order, R2, and R1 and R3.",
                    values.Index);
            }
        }
        var reason = fitting.Count == 0
            ? $"no placement of them keeps the template's order, R2, and R1 and R3 with every placed row checked"
            : $"they can be placed in more than one way that keeps the template's order and the arithmetic";
        foreach (var (rowsMissing, _) in segments)
        {
            foreach (var row in rowsMissing.Where(r => fitting.Count != 1 || !fitting[0].ContainsKey(r)))
            {
                placed[row] = readings[row] with
                {
                    Unplaced = $"Row '{readings[row].Row.Label}' of part 三 has no numbers of its own here, and the table holds rows of numbers without labels (line(s) {lines}) that may be its: {reason}, so which numbers are its cannot be told.",
                };
            }
        }
        // A label printed with empty cells elsewhere in such a table may have lost its numbers: not read as blank.
        for (var row = 0; row < readings.Count; row++)
        {
            if (missing[row] && readings[row].Found && placed[row].Unplaced is null && placed[row] == readings[row])
            {
                placed[row] = readings[row] with
                {
                    Unplaced = $"Row '{readings[row].Row.Label}' of part 三 is printed with empty cells in a table whose numbers are partly printed on rows without labels (line(s) {lines}): its numbers may have been lost, so it is not read as blank.",
                };
            }
        }
        return placed;
    }

    /// <summary>Every way to give k rows, in order, to n places, in order: the chosen places' indices.</summary>
    private static List<int[]> Injections(int n, int k)
    {
        var all = new List<int[]>();
        if (k > n)
        {
            return all;
        }
        var current = new int[k];
        void Choose(int from, int at)
        {
            if (all.Count > MaxCombinations)
            {
                return;
            }
            if (at == k)
            {
                all.Add((int[])current.Clone());
                return;
            }
            for (var i = from; i <= n - (k - at); i++)
            {
                current[at] = i;
                Choose(i + 1, at + 1);
            }
        }
        Choose(0, 0);
        return all;
    }

    /// <summary>R2 on each placed row; every R1 and R3 whose rows are all known and that takes in a placed row; each placed row in one at least.</summary>
    private static bool Fits(IReadOnlyList<RowReading> readings, bool[] missing, Dictionary<int, Unlabelled> placement, Edition edition)
    {
        long?[]? ValuesOf(int row)
        {
            IReadOnlyList<Token>? tokens = placement.TryGetValue(row, out var placed) ? placed.Values : missing[row] ? null : readings[row].Tokens;
            if (tokens is null || tokens.Count != Columns || tokens.Any(t => t.Kind is not (TokenKind.Number or TokenKind.Blank)))
            {
                return null;
            }
            return tokens.Select(t => t.Number is { } n && n.Value == decimal.Truncate(n.Value) && n.Value >= 0 ? (long?)(long)n.Value : t.Kind == TokenKind.Blank ? 0 : null).ToArray();
        }
        foreach (var (row, values) in placement)
        {
            var cells = ValuesOf(row);
            if (cells is null || cells.Any(c => c is null))
            {
                return false;
            }
            var printed = values.Values;
            var anyOfSix = printed.Take(6).Any(t => t.Kind == TokenKind.Number);
            if (printed[6].Kind == TokenKind.Number && anyOfSix && cells.Take(6).Sum() != cells[6])
            {
                return false;
            }
        }
        int Row(string code) => readings.Select((r, i) => (r, i)).First(p => p.r.Row.Code == code).i;
        var r1 = new[] { (Row("applications.newlyReceived"), 1), (Row("applications.carriedOver"), 1), (Row("applications.totalHandled"), -1), (Row("applications.carriedForward"), -1) };
        var r3 = ConsistencyRules.OutcomeRows(edition).Select(m => (Row(m.Code), -1)).Prepend((Row("applications.totalHandled"), 1)).ToArray();
        var confirmed = new HashSet<int>();
        foreach (var rule in new[] { r1, r3 })
        {
            if (!rule.Any(term => placement.ContainsKey(term.Item1)))
            {
                continue;
            }
            var terms = rule.Select(term => (Values: ValuesOf(term.Item1), Sign: term.Item2)).ToList();
            if (terms.Any(t => t.Values is null))
            {
                continue;
            }
            for (var c = 0; c < Columns; c++)
            {
                if (terms.Sum(t => t.Sign * t.Values![c]!.Value) != 0)
                {
                    return false;
                }
            }
            confirmed.UnionWith(rule.Select(term => term.Item1).Where(placement.ContainsKey));
        }
        return placement.Keys.All(confirmed.Contains);
    }

    /// <summary>The table rows of the cell layout between two positions: runs of tab-led lines ended by an empty line.</summary>
    private static List<TableRow> TableRows(ImportSession session, int start, int end)
    {
        var text = session.Source.Text;
        var rows = new List<TableRow>();
        List<Token>? cells = null;
        var rowStart = start;
        for (var pos = start; pos < end;)
        {
            session.Budget.Step();
            var lineEnd = text.IndexOf('\n', pos);
            lineEnd = lineEnd < 0 || lineEnd > end ? end : lineEnd;
            var line = text.AsSpan(pos, lineEnd - pos);
            if (line.Length > 0 && line[0] == '\t')
            {
                if (cells is null)
                {
                    cells = [];
                    rowStart = pos;
                }
                if (cells.Count < RegionTokenizer.MaxTokens)
                {
                    cells.Add(CellText.Read(line[1..].ToString(), pos + 1, inCell: true));
                }
            }
            else if (cells is not null)
            {
                rows.Add(new TableRow(rowStart, pos, cells));
                cells = null;
            }
            pos = lineEnd + 1;
        }
        if (cells is not null)
        {
            rows.Add(new TableRow(rowStart, end, cells));
        }
        return rows;
    }

    /// <summary>A row of numbers with no label: seven cells of numbers or blanks (any cells before them blank), a number among them.</summary>
    private static Unlabelled? Values(TableRow row, ImportSession session)
    {
        var cells = row.Cells;
        if (cells.Count < Columns || cells.Any(c => c.Kind is not (TokenKind.Number or TokenKind.Blank))
            || cells.Take(cells.Count - Columns).Any(c => c.Kind != TokenKind.Blank))
        {
            return null;
        }
        var values = cells.Skip(cells.Count - Columns).ToArray();
        return values.Any(v => v.Kind == TokenKind.Number) ? new Unlabelled(row.Start, values, session.Source.LineAt(row.Start)) : null;
    }
}
