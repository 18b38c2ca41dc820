using Aggregator.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Shared;

/// <summary>Where a walk through a list in report order (agency code, year) is: the last report's agency code and year.</summary>
public sealed record ReportPosition(string Agency, int Year) : ICursorKey<ReportPosition>
{
    public void Write(CursorWriter writer) => writer.Add(Agency).Add(Year);

    public static ReportPosition Read(ref CursorReader reader) => new(reader.String(), reader.Int32());
}

public static class ReportOrder
{
    /// <summary>
    /// The reports in list order (agency code, year), after <paramref name="after"/> when given: the agencies' code
    /// index gives the order and the range after the cursor's code, each agency's reports come from the reports' key.
    /// </summary>
    public static IOrderedQueryable<Report> InReportOrder(this IQueryable<Report> reports, ReportPosition? after)
    {
        if (after is not null)
        {
            // The row comparison is the keyset condition; the code alone is what the agencies' index takes as a range.
            reports = reports.Where(r => string.Compare(r.Agency.Code, after.Agency) >= 0
                                         && EF.Functions.GreaterThan(ValueTuple.Create(r.Agency.Code, r.Year), ValueTuple.Create(after.Agency, after.Year)));
        }
        return reports.OrderBy(r => r.Agency.Code).ThenBy(r => r.Year);
    }
}
