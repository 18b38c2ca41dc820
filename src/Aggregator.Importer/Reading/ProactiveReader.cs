namespace Aggregator.Importer.Reading;

/// <summary>Part 二: each row's cells as printed. The part has no arithmetic, so glued digits are cut only when one cut exists.</summary>
internal static class ProactiveReader
{
    private const string NoArithmetic = "no cell starts with a zero (part 二 has no sums to check a cut against)";

    public static void Read(ImportSession session, IReadOnlyList<RowReading> rows)
    {
        foreach (var reading in rows)
        {
            var slots = reading.Row.Slots;
            if (!reading.Found)
            {
                session.UnreadAll(slots, $"Row '{reading.Row.Label}' of part 二 not found.", reading.Index);
            }
            else if (reading.AmbiguousSign is { } dash)
            {
                session.UnreadAll(slots, RowReading.AmbiguousSignReason(reading.Row.Label, reading.Tokens, dash), dash.Index);
            }
            else if (reading.Tokens.Count == slots.Count)
            {
                CellWriting.WriteAll(session, slots, reading.Tokens);
            }
            else if (reading.IsGlued)
            {
                var runs = reading.Tokens.Select(t => t.Raw).ToArray();
                CellWriting.WriteAgreed(session, reading.Row.Code, slots, reading.Digits, reading.Tokens[0].Index,
                    GlueSplitter.Splits(runs, slots.Count, _ => true, session.Budget), NoArithmetic);
            }
            else
            {
                session.UnreadAll(slots,
                    $"Row '{reading.Row.Label}' printed {reading.Tokens.Count} value(s) ('{reading.Digits}') where the template has {slots.Count}: which cell each belongs to cannot be told.",
                    reading.Index);
            }
        }
    }
}
