namespace Aggregator.Importer.Reading;

/// <summary>Writes a row's tokens into its cells: one to one, or by cutting glued digits where the arithmetic allows one reading only.</summary>
internal static class CellWriting
{
    /// <summary>Writes tokens that match the cells one to one; returns the slots left unread.</summary>
    public static List<Slot> WriteAll(ImportSession session, IReadOnlyList<Slot> slots, IReadOnlyList<Token> tokens)
    {
        var unread = new List<Slot>();
        for (var i = 0; i < slots.Count; i++)
        {
            if (!session.Write(slots[i], tokens[i]))
            {
                unread.Add(slots[i]);
            }
        }
        return unread;
    }

    /// <summary>
    /// Writes the cells on which every accepted cut of the glued digits agrees; the others stay blank with a Blocking
    /// diagnostic. <paramref name="rule"/> names the arithmetic that picked the cuts.
    /// </summary>
    public static void WriteAgreed(ImportSession session, string path, IReadOnlyList<Slot> slots, string digits, int index,
        List<long[]>? cuts, string rule)
    {
        var printed = $"Cells printed without separators ('{digits}')";
        if (cuts is null)
        {
            session.UnreadAll(slots, $"{printed} can be cut into {slots.Count} cells in too many ways to decide.", index);
            return;
        }
        if (cuts.Count == 0)
        {
            session.UnreadAll(slots, $"{printed}: no cut into {slots.Count} cells satisfies {rule}.", index);
            return;
        }
        if (cuts.Count == 1)
        {
            session.Info(path, $"{printed} cut as {Show(cuts[0])}: the only cut where {rule}.", index);
        }
        var examples = string.Join(" or ", cuts.Take(3).Select(Show));
        for (var i = 0; i < slots.Count; i++)
        {
            var value = cuts[0][i];
            if (cuts.All(c => c[i] == value))
            {
                session.Write(slots[i], value, index);
            }
            else
            {
                session.Unread(slots[i], $"{printed} can be cut {cuts.Count} ways where {rule} ({examples}); this cell differs between them.", index);
            }
        }
    }

    public static string Show(long[] cut) => string.Join("|", cut);
}
