using Aggregator.Domain;
using Aggregator.Importer.Text;

namespace Aggregator.Importer.Reading;

/// <summary>
/// Reads a report: finds the edition from the part 二 column labels, then the three tables in order (part 二 from
/// its first column label, part 三 from its first row label, part 四 from its heading), each row by its label, and the
/// narratives between the headings.
/// </summary>
internal static class ReportReader
{
    public static ImportResult Read(SourceText source, IReadOnlyList<ImportDiagnostic> decoding, ImportBudget budget)
    {
        var text = source.Text;
        var proactiveStart = FirstMarker(text, out var edition);
        var applicationsFrom = proactiveStart ?? 0;
        var newlyReceived = Template.ApplicationRows(Edition.Edition2021)[0].Pattern.Match(text, applicationsFrom);
        var (agency, year) = TitleReader.Read(source, proactiveStart ?? (newlyReceived.Success ? newlyReceived.Index : text.Length));

        if (edition is null)
        {
            if (!newlyReceived.Success)
            {
                return NotAReport(agency, year, decoding);
            }
            edition = Template.OtherHandling2021Markers.Any(m => text.IndexOf(m, newlyReceived.Index, StringComparison.Ordinal) >= 0)
                ? Edition.Edition2021
                : Edition.Edition2019;
        }

        budget.Check();
        var session = new ImportSession(source, new ReportDocument(edition.Value), budget);
        if (proactiveStart is null)
        {
            session.Info("", $"Part 二 was not found; the edition {edition.Value.Code()} was recognised from the rows of part 三.", null);
        }

        var proactiveEnd = newlyReceived.Success ? newlyReceived.Index : text.Length;
        var heading = Template.ApplicationsHeading().Match(text, applicationsFrom, proactiveEnd - applicationsFrom);
        if (heading.Success)
        {
            proactiveEnd = heading.Index;
        }
        if (proactiveStart is { } start)
        {
            ProactiveReader.Read(session, RowReading.Find(session, Template.ProactiveRows(edition.Value), start, proactiveEnd));
        }
        else
        {
            foreach (var row in Template.ProactiveRows(edition.Value))
            {
                session.UnreadAll(row.Slots, "The table of part 二 was not found.", 0);
            }
        }

        var appeals = Template.AppealsHeading().Match(text, proactiveEnd);
        var applicationsEnd = appeals.Success ? appeals.Index : text.Length;
        var applications = RowReading.Find(session, Template.ApplicationRows(edition.Value), proactiveEnd, applicationsEnd);
        new ApplicationsReader(session, UnlabelledRows.Place(session, applications, proactiveEnd, applicationsEnd)).Read();

        var tablesEnd = applicationsEnd;
        if (appeals.Success)
        {
            tablesEnd = appeals.Index + appeals.Length;
            var problems = Template.ProblemsHeading().Match(text, tablesEnd);
            var otherMatters = Template.OtherMattersHeading().Match(text, tablesEnd);
            var appealsEnd = problems.Success ? problems.Index : otherMatters.Success ? otherMatters.Index : text.Length;
            AppealsReader.Read(session, tablesEnd, appealsEnd);
        }
        else
        {
            session.UnreadAll(Template.AppealSlots, "The table of part 四 (政府信息公开行政复议、行政诉讼情况) was not found.", applicationsEnd);
        }

        budget.Check();
        NarrativeReader.Read(session, proactiveStart ?? proactiveEnd, tablesEnd);
        if (agency is null)
        {
            session.Info("", "No title naming the agency and year (…2020年度政府信息公开工作年度报告) was found.", null);
        }

        return new ImportResult
        {
            AgencyName = agency,
            Year = year,
            Document = session.Document,
            Diagnostics = [.. decoding, .. session.Diagnostics],
            Findings = ConsistencyRules.Check(session.Document),
        };
    }

    /// <summary>Where part 二 starts: the first column label of the edition whose labels the text uses most.</summary>
    private static int? FirstMarker(string text, out Edition? edition)
    {
        edition = null;
        int? first = null;
        var best = 0;
        foreach (var (candidate, markers) in Template.EditionMarkers)
        {
            var positions = markers.Select(m => text.IndexOf(m, StringComparison.Ordinal)).Where(i => i >= 0).ToList();
            if (positions.Count > best)
            {
                best = positions.Count;
                edition = candidate;
                first = positions.Min();
            }
        }
        return first;
    }

    private static ImportResult NotAReport(string? agency, int? year, IReadOnlyList<ImportDiagnostic> decoding) => new()
    {
        AgencyName = agency,
        Year = year,
        Diagnostics =
        [
            .. decoding,
            new ImportDiagnostic("",
                "No table of the annual report template was found: neither the column labels of part 二 (本年制发件数, 本年新制作数量 …) nor the first row of part 三 (本年新收政府信息公开申请数量) occur in the text. This does not look like a 政府信息公开工作年度报告.",
                null, DiagnosticSeverity.Blocking),
        ],
    };
}
