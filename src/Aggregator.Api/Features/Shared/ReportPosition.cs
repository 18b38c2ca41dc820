namespace Aggregator.Api.Features.Shared;

/// <summary>Where a walk through a list in report order (agency code, year) is: the last report's agency code and year.</summary>
public sealed record ReportPosition(string Agency, int Year) : ICursorKey<ReportPosition>
{
    public void Write(CursorWriter writer) => writer.Add(Agency).Add(Year);

    public static ReportPosition Read(ref CursorReader reader) => new(reader.String(), reader.Int32());
}
