using System.Text.RegularExpressions;
using Aggregator.Importer.Text;

namespace Aggregator.Importer.Reading;

/// <summary>A template row as found in the text: where its label is and the tokens printed after it.</summary>
internal sealed record RowReading(TemplateRow Row, int Index, bool Found, IReadOnlyList<Token> Tokens)
{
    /// <summary>Set when the row's numbers are among rows printed without labels that cannot be placed with certainty: why.</summary>
    public string? Unplaced { get; init; }

    /// <summary>
    /// Finds the rows of one table in template order between <paramref name="from"/> and <paramref name="limit"/>; each
    /// label is searched after the previous one found, and a row's tokens run up to the next label found.
    /// </summary>
    public static IReadOnlyList<RowReading> Find(ImportSession session, IReadOnlyList<TemplateRow> rows, int from, int limit)
    {
        var source = session.Source;
        var labels = new Match?[rows.Count];
        var pos = from;
        for (var i = 0; i < rows.Count && pos < limit; i++)
        {
            session.Budget.Check();
            var match = rows[i].Pattern.Match(source.Text, pos, limit - pos);
            if (match.Success)
            {
                labels[i] = match;
                pos = match.Index + match.Length;
            }
        }
        var readings = new RowReading[rows.Count];
        var end = limit;
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            if (labels[i] is { } label)
            {
                var tokens = RegionTokenizer.Tokenize(source, label.Index + label.Length, end, session.Budget);
                readings[i] = new RowReading(rows[i], label.Index, true, source.HasCells ? RegionTokenizer.FirstRow(tokens) : tokens);
                end = label.Index;
            }
            else
            {
                readings[i] = new RowReading(rows[i], from, false, []);
            }
        }
        return readings;
    }

    /// <summary>
    /// True when the row printed fewer numbers than cells with no separator between some of them, so the digit runs
    /// must be cut into cells.
    /// </summary>
    public bool IsGlued => Tokens.Count < Row.Slots.Count && Tokens.Count > 0
        && Tokens.All(t => t.Number is { IsDigitRun: true }) && Tokens.Any(t => t.LooksGlued);

    public string Digits => CellText.Shown(Tokens);

    /// <summary>A dash in the row that may be a minus sign or a blank cell's dash, if any: then no cell of the row can be placed.</summary>
    public Token? AmbiguousSign => Tokens.FirstOrDefault(t => t.Kind == TokenKind.AmbiguousSign);

    /// <summary>The diagnostic for a row with an <see cref="AmbiguousSign"/>.</summary>
    public static string AmbiguousSignReason(string label, IReadOnlyList<Token> tokens, Token dash) =>
        $"Row '{label}' prints '{CellText.Shown(tokens)}': the '{dash.Raw}' may be the minus sign of a number or a dash for a blank cell, so which cell holds which value and sign cannot be told.";
}
