using Aggregator.Importer.Text;

namespace Aggregator.Importer.Reading;

/// <summary>Part 四: one row of 15 numbers under a two-level header; glued digits are cut by R4 (total = the four results) per block.</summary>
internal static class AppealsReader
{
    private const string R4 = "each block's total = upheld + corrected + other + pending (R4)";

    public static void Read(ImportSession session, int start, int end)
    {
        var slots = Template.AppealSlots;
        var tokens = DataRow(session.Source, start, end, session.Budget);
        var digits = CellText.Shown(tokens);
        if (tokens.FirstOrDefault(t => t.Kind == TokenKind.AmbiguousSign) is { } dash)
        {
            session.UnreadAll(slots, RowReading.AmbiguousSignReason("四 行政复议、行政诉讼", tokens, dash), dash.Index);
        }
        else if (tokens.Count == slots.Count)
        {
            CellWriting.WriteAll(session, slots, tokens);
        }
        else if (tokens.Count is > 0 and < 15 && tokens.All(t => t.Number is { IsDigitRun: true }) && tokens.Any(t => t.LooksGlued))
        {
            var runs = tokens.Select(t => t.Raw).ToArray();
            CellWriting.WriteAgreed(session, "appeals", slots, digits, tokens[0].Index, GlueSplitter.Splits(runs, slots.Count, HoldsR4, session.Budget), R4);
        }
        else
        {
            session.UnreadAll(slots,
                $"Part 四 printed {tokens.Count} value(s) ('{digits}') where the template has 15: which cell each belongs to cannot be told.",
                tokens.Count > 0 ? tokens[0].Index : start);
        }
    }

    /// <summary>The table's values: in the cell layout the row of 15 cells that holds no words; otherwise every number.</summary>
    private static IReadOnlyList<Token> DataRow(SourceText source, int start, int end, ImportBudget budget)
    {
        var tokens = RegionTokenizer.Tokenize(source, start, end, budget);
        if (!source.HasCells)
        {
            return tokens;
        }
        var rows = new List<List<Token>> { new() };
        foreach (var token in tokens)
        {
            if (token.Kind == TokenKind.RowBreak)
            {
                rows.Add([]);
            }
            else
            {
                rows[^1].Add(token);
            }
        }
        var valueRows = rows.Where(r => r.Count > 0 && r.All(t => t.Kind is TokenKind.Number or TokenKind.Blank or TokenKind.Merged or TokenKind.AmbiguousSign)).ToList();
        return valueRows.LastOrDefault(r => r.Count == Template.AppealSlots.Count)
            ?? valueRows.LastOrDefault(r => r.Any(t => t.Kind == TokenKind.Number))
            ?? [];
    }

    private static bool HoldsR4(long[] cells)
    {
        for (var block = 0; block < 15; block += 5)
        {
            if (cells[block] + cells[block + 1] + cells[block + 2] + cells[block + 3] != cells[block + 4])
            {
                return false;
            }
        }
        return true;
    }
}
