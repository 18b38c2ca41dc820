using Aggregator.Domain;

namespace Aggregator.Importer.Reading;

/// <summary>
/// Part 三: 25 (2021) or 23 (2019) rows of seven applicant columns. Rows printed cell by cell are written as printed.
/// Rows whose cells were glued together are cut by R2 (total = the six columns); when a row still has several cuts,
/// the cuts of all such rows are tried together against R1 and R3 of every column, and a cell is written only when
/// every consistent combination agrees on it. A row collapsed onto one line with fewer numbers than columns is placed
/// by the columns every complete row of the table fills.
/// </summary>
internal sealed class ApplicationsReader(ImportSession session, IReadOnlyList<RowReading> rows)
{
    private const string R2 = "total = the sum of the six applicant columns (R2)";
    private const string R2R1R3 = "total = the sum of the six applicant columns (R2), and every column keeps R1 and R3 with the other rows";
    private const int Columns = 7;
    private const int MaxCombinations = 100_000;

    private readonly HashSet<(string Row, int Column)> unread = [];

    public void Read()
    {
        var ambiguous = new List<(RowReading Reading, List<long[]> Cuts)>();
        var collapsed = new List<RowReading>();
        foreach (var reading in rows)
        {
            var slots = reading.Row.Slots;
            if (reading.Unplaced is { } unplaced)
            {
                Unread(reading, unplaced);
            }
            else if (!reading.Found)
            {
                Unread(reading, $"Row '{reading.Row.Label}' of part 三 not found.");
            }
            else if (reading.AmbiguousSign is { } dash)
            {
                Unread(reading, RowReading.AmbiguousSignReason(reading.Row.Label, reading.Tokens, dash));
            }
            else if (reading.Tokens.Count == Columns)
            {
                foreach (var slot in CellWriting.WriteAll(session, slots, reading.Tokens))
                {
                    unread.Add((reading.Row.Code, Column(slot)));
                }
            }
            else if (reading.IsGlued)
            {
                var cuts = GlueSplitter.Splits(reading.Tokens.Select(t => t.Raw).ToArray(), Columns, HoldsR2, session.Budget);
                if (cuts is { Count: > 1 })
                {
                    ambiguous.Add((reading, cuts));
                }
                else
                {
                    WriteCuts(reading, cuts, R2);
                }
            }
            else if (reading.Tokens.Count < Columns && reading.Tokens.All(t => t is { Kind: TokenKind.Number, InCell: false }))
            {
                collapsed.Add(reading);
            }
            else
            {
                Unread(reading, $"Row '{reading.Row.Label}' printed {reading.Tokens.Count} value(s) ('{reading.Digits}') where the template has 7: which column each belongs to cannot be told.");
            }
        }
        PlaceCollapsed(collapsed);
        ResolveTogether(ambiguous);
    }

    private void PlaceCollapsed(List<RowReading> collapsed)
    {
        if (collapsed.Count == 0)
        {
            return;
        }
        var complete = rows.Where(r => r.Found && r.Tokens.Count == Columns && !Enumerable.Range(0, Columns).Any(c => unread.Contains((r.Row.Code, c)))).ToList();
        var profiles = complete.Select(r => Filled(r.Row)).DistinctBy(columns => string.Join(",", columns)).ToList();
        foreach (var reading in collapsed)
        {
            if (complete.Count >= 2 && profiles.Count == 1 && profiles[0].Count == reading.Tokens.Count)
            {
                var columns = profiles[0];
                var names = string.Join(", ", columns.Select(c => Applicants.All[c].Key()));
                session.Info(reading.Row.Code,
                    $"Row '{reading.Row.Label}' is collapsed onto one line with {reading.Tokens.Count} value(s) ('{reading.Digits}'); every complete row of the table fills exactly the column(s) {names}, so they go there.",
                    reading.Index);
                for (var i = 0; i < columns.Count; i++)
                {
                    if (!session.Write(reading.Row.Slots[columns[i]], reading.Tokens[i]))
                    {
                        unread.Add((reading.Row.Code, columns[i]));
                    }
                }
            }
            else
            {
                Unread(reading, $"Row '{reading.Row.Label}' printed {reading.Tokens.Count} value(s) ('{reading.Digits}') where the template has 7, and the other rows do not show which columns are filled.");
            }
        }
    }

    private List<int> Filled(TemplateRow row) =>
        Enumerable.Range(0, Columns).Where(c => session.Document.Get(row.Slots[c].Metric, row.Slots[c].Applicant) is not null).ToList();

    private void ResolveTogether(List<(RowReading Reading, List<long[]> Cuts)> ambiguous)
    {
        if (ambiguous.Count == 0)
        {
            return;
        }
        var consistent = ConsistentCuts(ambiguous);
        for (var i = 0; i < ambiguous.Count; i++)
        {
            var (reading, cuts) = ambiguous[i];
            if (consistent is not null)
            {
                WriteCuts(reading, consistent[i], R2R1R3);
            }
            else
            {
                WriteCuts(reading, cuts, R2);
            }
        }
    }

    /// <summary>
    /// For each ambiguous row, the cuts that take part in a combination keeping R1 and R3 in every column where those
    /// rules can be checked; null when no combination does (the report breaks the rules) or there are too many.
    /// </summary>
    private List<long[]>[]? ConsistentCuts(List<(RowReading Reading, List<long[]> Cuts)> ambiguous)
    {
        long combinations = 1;
        foreach (var (_, cuts) in ambiguous)
        {
            combinations *= cuts.Count;
            if (combinations > MaxCombinations)
            {
                return null;
            }
        }
        var position = ambiguous.Select((a, i) => (a.Reading.Row.Code, i)).ToDictionary(p => p.Code, p => p.i);
        var checks = Checks(position);
        if (checks.Count == 0)
        {
            return null;
        }
        var used = ambiguous.Select(_ => new HashSet<int>()).ToArray();
        var choice = new int[ambiguous.Count];
        var found = false;
        void Walk(int row)
        {
            session.Budget.Step();
            if (row == ambiguous.Count)
            {
                if (checks.All(check => check.Holds(choice, ambiguous)))
                {
                    found = true;
                    for (var i = 0; i < choice.Length; i++)
                    {
                        used[i].Add(choice[i]);
                    }
                }
                return;
            }
            for (choice[row] = 0; choice[row] < ambiguous[row].Cuts.Count; choice[row]++)
            {
                Walk(row + 1);
            }
        }
        Walk(0);
        return found ? used.Select((indices, i) => indices.Order().Select(c => ambiguous[i].Cuts[c]).ToList()).ToArray() : null;
    }

    /// <summary>R1 and R3 per column, as sums of terms; a check is left out when one of its cells could not be read.</summary>
    private List<ColumnCheck> Checks(Dictionary<string, int> ambiguous)
    {
        var edition = session.Document.Edition;
        var outcomes = ConsistencyRules.OutcomeRows(edition).Select(m => m.Code).ToArray();
        var checks = new List<ColumnCheck>();
        for (var column = 0; column < Columns; column++)
        {
            var r1 = Build(column, ambiguous,
                [("applications.newlyReceived", 1), ("applications.carriedOver", 1), ("applications.totalHandled", -1), ("applications.carriedForward", -1)]);
            var r3 = Build(column, ambiguous, [("applications.totalHandled", 1), .. outcomes.Select(code => (code, -1))]);
            checks.AddRange(new[] { r1, r3 }.OfType<ColumnCheck>().Where(c => c.Variable.Count > 0));
        }
        return checks;
    }

    private ColumnCheck? Build(int column, Dictionary<string, int> ambiguous, IEnumerable<(string Code, int Sign)> terms)
    {
        long constant = 0;
        var variable = new List<(int Row, int Sign)>();
        foreach (var (code, sign) in terms)
        {
            if (unread.Contains((code, column)))
            {
                return null;
            }
            if (ambiguous.TryGetValue(code, out var row))
            {
                variable.Add((row, sign));
            }
            else
            {
                constant += sign * (long)(session.Document.Get(code, Applicants.All[column]) ?? 0);
            }
        }
        return new ColumnCheck(column, constant, variable);
    }

    private sealed record ColumnCheck(int Column, long Constant, List<(int Row, int Sign)> Variable)
    {
        public bool Holds(int[] choice, List<(RowReading Reading, List<long[]> Cuts)> ambiguous)
        {
            var sum = Constant;
            foreach (var (row, sign) in Variable)
            {
                sum += sign * ambiguous[row].Cuts[choice[row]][Column];
            }
            return sum == 0;
        }
    }

    private void WriteCuts(RowReading reading, List<long[]>? cuts, string rule)
    {
        CellWriting.WriteAgreed(session, reading.Row.Code, reading.Row.Slots, reading.Digits, reading.Tokens[0].Index, cuts, rule);
        for (var c = 0; c < Columns; c++)
        {
            if (cuts is null || cuts.Count == 0 || cuts.Any(cut => cut[c] != cuts[0][c]))
            {
                unread.Add((reading.Row.Code, c));
            }
        }
    }

    private void Unread(RowReading reading, string reason)
    {
        session.UnreadAll(reading.Row.Slots, reason, reading.Index);
        for (var c = 0; c < Columns; c++)
        {
            unread.Add((reading.Row.Code, c));
        }
    }

    private static bool HoldsR2(long[] cells) => cells[0] + cells[1] + cells[2] + cells[3] + cells[4] + cells[5] == cells[6];

    private static int Column(Slot slot) => (int)slot.Applicant!.Value;
}
