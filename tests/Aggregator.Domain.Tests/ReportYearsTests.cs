using System.Globalization;
using Aggregator.Domain;

namespace Aggregator.Domain.Tests;

public sealed class ReportYearsTests
{
    [Theory]
    [InlineData("2026-03-31T15:59:59Z", 2025, false)] // 23:59:59 on 31 March in Beijing
    [InlineData("2026-03-31T16:00:00Z", 2025, true)] // 1 April in Beijing
    [InlineData("2026-01-01T00:00:00Z", 2024, true)]
    [InlineData("2026-12-31T00:00:00Z", 2026, false)]
    [InlineData("2026-12-31T00:00:00Z", 2020, true)]
    public void A_year_is_settled_two_years_on_or_last_year_after_march(string now, int year, bool settled) =>
        Assert.Equal(settled, ReportYears.IsSettled(year, DateTimeOffset.Parse(now, CultureInfo.InvariantCulture)));

    /// <summary>Found by the HTTP fuzz run: year=-1 in the query of any GET threw computing its deadline (500).</summary>
    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(2018)]
    [InlineData(9999)]
    [InlineData(int.MaxValue)]
    public void A_year_no_query_may_name_is_never_settled(int year) =>
        Assert.False(ReportYears.IsSettled(year, DateTimeOffset.UtcNow));

    [Theory]
    [InlineData("2026-12-31T15:59:59Z", 2025)] // 23:59:59 on 31 December in Beijing: 2026 is not over
    [InlineData("2026-12-31T16:00:00Z", 2026)] // 1 January 2027 in Beijing
    public void The_last_reportable_year_is_the_last_calendar_year_over_in_Beijing(string now, int last)
    {
        var at = DateTimeOffset.Parse(now, CultureInfo.InvariantCulture);
        Assert.Equal(last, ReportYears.LastCompleted(at));
        Assert.True(ReportYears.IsReportable(last, at));
        Assert.False(ReportYears.IsReportable(last + 1, at));
        Assert.False(ReportYears.IsReportable(ReportYears.First - 1, at));
    }

    [Theory]
    [InlineData(null, null, 2019, true)]
    [InlineData(2021, null, 2020, false)]
    [InlineData(2021, null, 2021, true)]
    [InlineData(null, 2022, 2022, true)]
    [InlineData(null, 2022, 2023, false)]
    public void An_agency_is_expected_to_report_inside_its_active_years(int? from, int? to, int year, bool active) =>
        Assert.Equal(active, ReportYears.IsActive(from, to, year));
}
