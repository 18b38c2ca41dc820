namespace Aggregator.Domain;

/// <summary>Which years a report can cover, and which years a query may name.</summary>
public static class ReportYears
{
    /// <summary>The first report year: the first under the 2019 template (the old regulation had none).</summary>
    public const int First = 2019;

    /// <summary>The last year a query may name: a range beyond it asks for nothing and only costs work.</summary>
    public const int QueryLimit = 2100;

    /// <summary>The last completed calendar year in Beijing: the latest year a report can cover.</summary>
    public static int LastCompleted(DateTimeOffset now) => now.ToOffset(ReportingDeadline.BeijingOffset).Year - 1;

    /// <summary>True when a report can cover the year: from <see cref="First"/> to the last completed year.</summary>
    public static bool IsReportable(int year, DateTimeOffset now) => year >= First && year <= LastCompleted(now);

    /// <summary>Why a report cannot cover the year, or null when it can.</summary>
    public static string? Refusal(int year, DateTimeOffset now) => IsReportable(year, now) ? null
        : $"Reports cover a completed calendar year from {First} (the first under the 2019 template) to {LastCompleted(now)}; got {year}.";

    /// <summary>True for a year a query may name (reported or not yet).</summary>
    public static bool IsQueryable(int year) => year is >= First and <= QueryLimit;

    /// <summary>
    /// A year is settled once every report of it is due (the last deadline, 31 March of the next year, has passed):
    /// its numbers change only by corrections from then on. A year no query may name is never settled (and has no
    /// deadline to compute: year -1 or 10000 has no 31 March).
    /// </summary>
    public static bool IsSettled(int year, DateTimeOffset now) => IsQueryable(year) && now > ReportingDeadline.Latest(year);

    /// <summary>True when an agency active from <paramref name="activeFrom"/> to <paramref name="activeTo"/> (null: open) is expected to report for the year.</summary>
    public static bool IsActive(int? activeFrom, int? activeTo, int year) =>
        (activeFrom is null || activeFrom <= year) && (activeTo is null || activeTo >= year);
}
