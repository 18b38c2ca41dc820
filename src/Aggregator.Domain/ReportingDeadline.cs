namespace Aggregator.Domain;

/// <summary>
/// When a report is due (条例 Article 50): departments publish by 31 January, people's governments by 31 March, of
/// the year after the report year — by the end of that day, Beijing time.
/// </summary>
public static class ReportingDeadline
{
    /// <summary>China Standard Time, in which the deadlines and the calendar year are reckoned.</summary>
    public static readonly TimeSpan BeijingOffset = TimeSpan.FromHours(8);

    public static DateTimeOffset For(int reportYear, bool peoplesGovernment) =>
        new(reportYear + 1, peoplesGovernment ? 3 : 1, 31, 23, 59, 59, BeijingOffset);

    /// <summary>The sector of people's governments (人民政府), whose deadline is 31 March.</summary>
    public const string GovernmentSector = "government";

    public static DateTimeOffset For(int reportYear, string sector) => For(reportYear, sector == GovernmentSector);

    /// <summary>The last deadline of a report year (people's governments, 31 March): after it every report of the year is due.</summary>
    public static DateTimeOffset Latest(int reportYear) => For(reportYear, peoplesGovernment: true);
}
