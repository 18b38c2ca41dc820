using System.Globalization;
using System.Text.RegularExpressions;

namespace Aggregator.Importer.Reading;

/// <summary>Reads the text of one cell: a number with an optional unit and note, a blank, or words.</summary>
internal static partial class CellText
{
    /// <summary>Stands in the rendered text of an HTML cell merged down from the row above.</summary>
    public const char MergedMarker = '\uE000';

    public static Token Read(string text, int index, bool inCell)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || Dash().IsMatch(trimmed))
        {
            return new Token(TokenKind.Blank, trimmed, index, InCell: inCell);
        }
        if (trimmed.Length == 1 && trimmed[0] == MergedMarker)
        {
            return new Token(TokenKind.Merged, trimmed, index, InCell: inCell);
        }
        return TryNumber(trimmed) is { } number
            ? new Token(TokenKind.Number, trimmed, index, number, InCell: inCell)
            : new Token(TokenKind.Text, trimmed, index, InCell: inCell);
    }

    public static PrintedNumber? TryNumber(string text)
    {
        var match = Number().Match(text);
        if (!match.Success)
        {
            return null;
        }
        var digits = match.Groups["digits"].Value;
        var fraction = match.Groups["fraction"].Value;
        if (digits.Replace(",", "").Length > 18 || fraction.Length > 18)
        {
            return null;
        }
        var value = decimal.Parse(digits.Replace(",", "") + fraction, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var negative = match.Groups["sign"].Value is "-" or "−";
        var unit = match.Groups["unit"].Success ? match.Groups["unit"].Value : null;
        var note = match.Groups["note"].Success ? match.Groups["note"].Value : null;
        var bare = fraction.Length == 0 && unit is null && note is null && !digits.Contains(',');
        var plain = bare && !match.Groups["sign"].Success;
        // "-3" exactly: the sign against the digits, as glued text prints a negative change ("12-3").
        var signed = bare && text.Length >= 2 && IsMinus(text[0]) && !text.AsSpan(1).ContainsAnyExceptInRange('0', '9');
        return new PrintedNumber(negative ? -value : value, unit, note, plain, signed);
    }

    /// <summary>A character printed as a minus sign: the hyphen-minus (full-width folded to it) and U+2212.</summary>
    public static bool IsMinus(char c) => c is '-' or '−';

    /// <summary>A character that is a minus sign or a dash: a lone one may stand for a blank cell, or be a number's sign.</summary>
    public static bool IsDash(char c) => c is '-' or '−' or '–' or '—' or '―';

    /// <summary>Cell text as quoted in a diagnostic: a cell may hold a whole page, a diagnostic does not.</summary>
    public static string Shown(string raw) => raw.Length <= MaxShown ? raw : raw[..MaxShown] + $"… ({raw.Length:N0} characters)";

    /// <summary>The raw text of tokens, space-separated, as quoted in a diagnostic.</summary>
    public static string Shown(IReadOnlyList<Token> tokens)
    {
        var shown = string.Join(" ", tokens.Take(MaxShownTokens).Select(t => Shown(t.Raw)));
        return tokens.Count <= MaxShownTokens ? shown : $"{shown} … ({tokens.Count:N0} values)";
    }

    private const int MaxShown = 80;
    private const int MaxShownTokens = 40;

    // "12", "3,985,758", "24252.311082", "-2", "251000元", "22(其中修订16件)", "22件". Each run of spaces is taken whole
    // (atomic): with optional parts between them, "1", thousands of spaces and a letter would otherwise be tried with
    // every way of sharing the spaces out. ASCII digits only: decimal.Parse reads no others.
    [GeneratedRegex(@"^(?<sign>[-+−])?(?>\s*)(?<digits>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?<fraction>\.[0-9]+)?(?>\s*)(?:(?<unit>万元|元|件|个|项|条|次)(?>\s*))?(?<note>\(.*\)|\[.*\]|【.*】)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    [GeneratedRegex(@"^[-—–―/\\_~]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Dash();
}
