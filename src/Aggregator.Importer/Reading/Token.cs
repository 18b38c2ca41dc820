namespace Aggregator.Importer.Reading;

internal enum TokenKind
{
    /// <summary>A number, maybe with a unit or a note.</summary>
    Number,

    /// <summary>An empty cell (or a dash standing for one).</summary>
    Blank,

    /// <summary>A cell holding words, not a number.</summary>
    Text,

    /// <summary>An HTML cell merged down from the row above (rowspan): which row its value belongs to is unknown.</summary>
    Merged,

    /// <summary>The end of a table row in a layout that marks rows.</summary>
    RowBreak,

    /// <summary>
    /// A dash that may be a minus sign or a dash for a blank cell ("12-" at the end of glued digits, "—3", a lone "-"
    /// before a number in columns): which cell holds which sign cannot be told, so the row is not read.
    /// </summary>
    AmbiguousSign,
}

/// <summary>
/// A published number: its digits, the unit and note printed with it. <see cref="IsPlainDigits"/>: digits alone;
/// <see cref="IsSignedDigits"/>: a minus and digits alone ("-3").
/// </summary>
internal sealed record PrintedNumber(decimal Value, string? Unit, string? Note, bool IsPlainDigits, bool IsSignedDigits = false)
{
    /// <summary>Digits with at most a leading minus: a run that glued digits may be cut from.</summary>
    public bool IsDigitRun => IsPlainDigits || IsSignedDigits;
}

/// <summary>
/// A piece of a table region: a cell, a number, or a row break; <see cref="Index"/> is its position in the folded text.
/// <see cref="Glued"/>: the digits were printed against other text with no separator, so they may hold several cells.
/// <see cref="InCell"/>: the token is a cell of a tab-led line (the layout marks every cell).
/// </summary>
internal sealed record Token(TokenKind Kind, string Raw, int Index, PrintedNumber? Number = null, bool Glued = false, bool InCell = false)
{
    /// <summary>
    /// Digits that may be several cells printed without separators: glued to text, or a number with a leading zero. A
    /// minus belongs to the first of the cells cut from its run.
    /// </summary>
    public bool LooksGlued => Number is { IsDigitRun: true } && (Glued || (Digits.Length > 1 && Digits[0] == '0'));

    /// <summary>The digits of a digit run, without its sign.</summary>
    public string Digits => Raw.Length > 0 && CellText.IsMinus(Raw[0]) ? Raw[1..] : Raw;
}
