using Aggregator.Domain;
using Aggregator.Importer.Text;

namespace Aggregator.Importer.Reading;

/// <summary>The document being read and what was said about it; every cell goes in through here.</summary>
internal sealed class ImportSession(SourceText source, ReportDocument document, ImportBudget budget)
{
    private readonly List<ImportDiagnostic> diagnostics = [];

    public SourceText Source { get; } = source;

    public ReportDocument Document { get; } = document;

    public ImportBudget Budget { get; } = budget;

    public IReadOnlyList<ImportDiagnostic> Diagnostics => diagnostics;

    /// <summary>Notes a change of form; <paramref name="index"/> is null for a matter of the whole report.</summary>
    public void Info(string path, string reason, int? index) =>
        diagnostics.Add(new ImportDiagnostic(path, reason, index is { } at ? Source.LineAt(at) : null, DiagnosticSeverity.Info));

    /// <summary>Leaves the cell blank and says why: the published value is not known with certainty.</summary>
    public void Unread(Slot slot, string reason, int index) =>
        diagnostics.Add(new ImportDiagnostic(slot.Path, reason, Source.LineAt(index), DiagnosticSeverity.Blocking));

    public void UnreadAll(IEnumerable<Slot> slots, string reason, int index)
    {
        foreach (var slot in slots)
        {
            Unread(slot, reason, index);
        }
    }

    /// <summary>Writes a cell as printed; returns false when it stayed blank because it could not be read.</summary>
    public bool Write(Slot slot, Token token)
    {
        switch (token.Kind)
        {
            case TokenKind.Blank:
                Document.Set(slot.Metric, slot.Applicant, null);
                return true;
            case TokenKind.Number:
                return Write(slot, token.Number!, token.Raw, token.Index);
            case TokenKind.Merged:
                Unread(slot, "The HTML cell is merged with the row above (rowspan): which row its value belongs to cannot be told.", token.Index);
                return false;
            default:
                Unread(slot, $"The cell reads '{CellText.Shown(token.Raw)}', not a number.", token.Index);
                return false;
        }
    }

    public bool Write(Slot slot, long value, int index) => Write(slot, new PrintedNumber(value, null, null, true), value.ToString(), index);

    private bool Write(Slot slot, PrintedNumber number, string raw, int index)
    {
        raw = CellText.Shown(raw);
        var value = number.Value;
        var money = slot.Metric.Unit == MetricUnit.WanYuan;
        switch (number.Unit)
        {
            case "元" when money:
                value /= 10_000m;
                Info(slot.Path, $"'{raw}' is in 元: converted to {value} 万元.", index);
                break;
            case "万元" when money:
            case null:
                break;
            default:
                Unread(slot, $"'{raw}' carries the unit {number.Unit}, which does not fit {(money ? "an amount in 万元" : "a count")}.", index);
                return false;
        }
        if (number.Note is { } note)
        {
            Info(slot.Path, $"'{raw}': the note {CellText.Shown(note)} was dropped; the number is {number.Value}.", index);
        }
        if (ReportDocumentJson.CheckValue(slot.Metric, value) is { } problem)
        {
            Unread(slot, $"'{raw}' cannot be stored: {problem}", index);
            return false;
        }
        Document.Set(slot.Metric, slot.Applicant, value);
        return true;
    }
}
