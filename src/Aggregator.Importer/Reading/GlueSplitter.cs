namespace Aggregator.Importer.Reading;

/// <summary>
/// Enumerates every way to cut digit runs printed without separators ("640020470") into a given number of cells, each
/// run holding at least one cell and no cell written with a leading zero, and keeps the cuts the template's arithmetic
/// accepts. The caller accepts a cell only when every kept cut agrees on it. A run may start with a minus ("-30"): the
/// minus belongs to the number that follows it, the run's first cell, and no cut drops it or gives it to another cell.
/// </summary>
internal static class GlueSplitter
{
    private const int MaxDigits = 60;
    private const int MaxCellDigits = 18;
    private const int MaxSteps = 2_000_000;

    /// <summary>The accepted cuts, or null when the runs are too long to enumerate or more than <paramref name="limit"/> are accepted.</summary>
    public static List<long[]>? Splits(IReadOnlyList<string> runs, int cells, Func<long[], bool> accept, ImportBudget? budget = null, int limit = 256)
    {
        var digits = runs.Sum(r => Body(r).Length);
        if (runs.Count == 0 || runs.Count > cells || digits < cells)
        {
            return [];
        }
        if (digits > MaxDigits)
        {
            return null;
        }
        var state = new State(runs, cells, accept, budget, limit);
        return state.Walk(0, 0, 0) ? state.Accepted : null;
    }

    private static bool IsNegative(string run) => run.Length > 0 && CellText.IsMinus(run[0]);

    private static string Body(string run) => IsNegative(run) ? run[1..] : run;

    private sealed class State(IReadOnlyList<string> runs, int cells, Func<long[], bool> accept, ImportBudget? budget, int limit)
    {
        private readonly long[] current = new long[cells];
        private readonly string[] bodies = runs.Select(Body).ToArray();
        private readonly bool[] negative = runs.Select(IsNegative).ToArray();
        private readonly int[] digitsAfterRun = SuffixDigits(runs.Select(Body).ToArray());
        private int steps;

        public List<long[]> Accepted { get; } = [];

        // False when the enumeration gave up (too many steps or too many accepted cuts).
        public bool Walk(int run, int offset, int cell)
        {
            if (++steps > MaxSteps)
            {
                return false;
            }
            budget?.Step();
            if (run == runs.Count)
            {
                if (cell == cells && accept(current))
                {
                    Accepted.Add((long[])current.Clone());
                    return Accepted.Count <= limit;
                }
                return true;
            }
            var digits = bodies[run];
            var left = digits.Length - offset;
            for (var length = 1; length <= Math.Min(left, MaxCellDigits); length++)
            {
                if (length > 1 && digits[offset] == '0')
                {
                    break;
                }
                var endsRun = length == left;
                var cellsLeft = cells - cell - 1;
                var runsLeft = runs.Count - run - 1 + (endsRun ? 0 : 1);
                var digitsLeft = left - length + digitsAfterRun[run];
                if (cellsLeft < runsLeft || cellsLeft > digitsLeft)
                {
                    continue;
                }
                var value = long.Parse(digits.AsSpan(offset, length));
                current[cell] = offset == 0 && negative[run] ? -value : value;
                var ok = endsRun ? Walk(run + 1, 0, cell + 1) : Walk(run, offset + length, cell + 1);
                if (!ok)
                {
                    return false;
                }
            }
            return true;
        }

        private static int[] SuffixDigits(string[] runs)
        {
            var suffix = new int[runs.Length];
            for (var i = runs.Length - 2; i >= 0; i--)
            {
                suffix[i] = suffix[i + 1] + runs[i + 1].Length;
            }
            return suffix;
        }
    }
}
