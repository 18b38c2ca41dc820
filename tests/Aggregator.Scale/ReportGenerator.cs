using Aggregator.Domain;

namespace Aggregator.Scale;

/// <summary>
/// One report's numbers, from the seed, the agency and the year alone. Counts are heavy-tailed (log-normal bodies
/// with Pareto tails: most agencies report a handful, a few city bureaus millions of penalty decisions); part 三
/// holds its own arithmetic (R1–R3) and part 四 its totals (R4), except in the few reports made to break one rule;
/// zero cells are often left blank, as agencies do, so about a fifth of all cells are blank.
/// </summary>
public static class ReportGenerator
{
    /// <summary>The largest penalty count published (one city, one year).</summary>
    public const decimal MaxPenaltyDecisions = 3_985_758;

    /// <summary>Share of reports that break one of R1–R4.</summary>
    public const double RuleBreakerShare = 0.03;

    // Sectors that impose penalties and decide licences in bulk, with how many a typical county bureau decides a year.
    private static readonly Dictionary<string, double> PenaltyBase = new()
    {
        ["public-security"] = 900, ["market-regulation"] = 120, ["transport"] = 150, ["urban-management"] = 200,
        ["ecology-environment"] = 25, ["natural-resources"] = 20, ["emergency"] = 15, ["taxation"] = 80,
        ["health"] = 30, ["agriculture"] = 12, ["culture-tourism"] = 8, ["water"] = 5, ["housing-construction"] = 15,
        ["drug-administration"] = 20, ["forestry-grassland"] = 10, ["fire-rescue"] = 20, ["medical-security"] = 5,
    };

    private static readonly Dictionary<string, double> LicensingBase = new()
    {
        ["government-services"] = 5000, ["market-regulation"] = 800, ["public-security"] = 1500, ["transport"] = 600,
        ["housing-construction"] = 200, ["natural-resources"] = 150, ["health"] = 300, ["education"] = 50,
        ["agriculture"] = 80, ["water"] = 40, ["ecology-environment"] = 40, ["culture-tourism"] = 60,
        ["drug-administration"] = 120, ["emergency"] = 30, ["civil-affairs"] = 30,
    };

    // How an application ends, in shares of the handled ones (granted takes the rest).
    private static readonly (string Row, double Share)[] Outcomes =
    [
        ("applications.partiallyGranted", 0.10),
        ("applications.denied.stateSecret", 0.003), ("applications.denied.prohibitedByLaw", 0.005),
        ("applications.denied.endangersSecurity", 0.003), ("applications.denied.thirdPartyRights", 0.01),
        ("applications.denied.internalAffairs", 0.01), ("applications.denied.processInformation", 0.015),
        ("applications.denied.enforcementCaseFile", 0.01), ("applications.denied.administrativeQuery", 0.01),
        ("applications.unableToProvide.notHeld", 0.22), ("applications.unableToProvide.needsCreation", 0.03),
        ("applications.unableToProvide.unclearAfterCorrection", 0.02),
        ("applications.notProcessed.petitionComplaint", 0.05), ("applications.notProcessed.duplicate", 0.03),
        ("applications.notProcessed.publication", 0.005), ("applications.notProcessed.excessive", 0.005),
        ("applications.notProcessed.confirmOrReissue", 0.01),
    ];

    private static readonly (string Row, double Share)[] OtherHandling2021 =
    [
        ("applications.otherHandling.noCorrection", 0.02), ("applications.otherHandling.feeUnpaid", 0.002),
        ("applications.otherHandling.other", 0.03),
    ];

    // Who applies: shares of the six applicant columns (natural persons take the rest).
    private static readonly (Applicant Column, double Share)[] ApplicantShares =
    [
        (Applicant.Commercial, 0.08), (Applicant.Research, 0.005), (Applicant.PublicInterest, 0.005),
        (Applicant.LegalService, 0.03), (Applicant.OtherOrganization, 0.03),
    ];

    public static ReportDocument Generate(long seed, BenchAgency agency, int year)
    {
        var edition = Editions.PrescribedFor(year);
        var document = new ReportDocument(edition) { Overview = $"{agency.Name}{year}年政府信息公开工作年度报告（基准数据）。" };
        var random = Seeded.For(seed, Seeded.Key("report"), agency.Index, year);
        var cells = new Dictionary<(string Code, Applicant? Column), decimal>();

        Proactive(random, agency, edition, cells);
        Applications(seed, random, agency, year, edition, cells);
        Appeals(random, agency, cells);
        if (random.Chance(RuleBreakerShare))
        {
            BreakOneRule(random, cells);
        }

        // Blank zeros: a report is filled in by someone who writes 0, leaves empty cells, or mixes the two.
        var blankZeros = random.Uniform() switch { < 0.55 => 0.0, < 0.80 => 0.3, _ => 0.65 };
        foreach (var cell in document.Fields)
        {
            var key = (cell.Metric.Code, cell.Applicant);
            var value = cells.GetValueOrDefault(key);
            var blank = value == 0 ? random.Chance(blankZeros) : random.Chance(0.001);
            document.Set(cell.Metric, cell.Applicant, blank ? null : value);
        }
        return document;
    }

    private static void Proactive(Seeded random, BenchAgency agency, Edition edition, Dictionary<(string, Applicant?), decimal> cells)
    {
        var scale = agency.Scale;
        var isGovernment = agency.Sector.Code == "government";
        decimal Count(double typical, double sigma = 1.0) => typical <= 0 ? 0 : (decimal)Math.Floor(typical * scale * random.LogNormal(-0.3, sigma));
        void Set(string code, decimal value) => cells[(code, null)] = value;

        var penaltyTypical = PenaltyBase.GetValueOrDefault(agency.Sector.Code, 0.3);
        var penalty = Count(penaltyTypical, 1.2);
        if (random.Chance(0.01))
        {
            penalty *= (decimal)Math.Floor(random.Pareto(1.1) * 20); // the few bureaus with a camera on every road
        }
        Set("proactive.penalty.decisions", Math.Min(penalty, MaxPenaltyDecisions));
        Set("proactive.licensing.decisions", Count(LicensingBase.GetValueOrDefault(agency.Sector.Code, 0.5), 1.3));
        Set("proactive.coercion.decisions", Count(penaltyTypical * 0.05, 1.2));

        var regulations = agency.Division.Level == "county" ? 0 : isGovernment ? 3.0 : 0.3;
        var normative = isGovernment ? 8.0 : 1.5;
        if (edition == Edition.Edition2021)
        {
            Set("proactive.regulations.issued", Count(regulations));
            Set("proactive.regulations.repealed", Count(regulations * 0.3));
            Set("proactive.regulations.inForce", Count(regulations * 12));
            Set("proactive.normativeDocuments.issued", Count(normative));
            Set("proactive.normativeDocuments.repealed", Count(normative * 0.4));
            Set("proactive.normativeDocuments.inForce", Count(normative * 10));
            var fees = random.Chance(0.3) ? (decimal)(scale * random.LogNormal(3, 1.5)) : 0;
            Set("proactive.fees.amount", Math.Round(fees, 4));
        }
        else
        {
            foreach (var (row, typical) in new[] { ("regulations", regulations), ("normativeDocuments", normative) })
            {
                var made = Count(typical);
                Set($"proactive.{row}.newlyMade", made);
                Set($"proactive.{row}.newlyPublished", Math.Floor(made * (decimal)(0.6 + 0.4 * random.Uniform())));
                Set($"proactive.{row}.publishedTotal", made + Count(typical * 8));
            }
            foreach (var row in new[] { "licensing", "otherServices", "penalty", "coercion", "fees" })
            {
                var items = row == "penalty" && penaltyTypical < 1 ? 0 : random.Between(0, 60);
                Set($"proactive.{row}.itemsLastYear", items);
                Set($"proactive.{row}.itemsChange", items == 0 ? 0 : random.Between(-Math.Min(items, 5), 5));
            }
            Set("proactive.otherServices.decisions", Count(2));
            Set("proactive.procurement.projects", Count(isGovernment ? 10 : 2));
            Set("proactive.procurement.amount", Math.Round((decimal)(scale * random.LogNormal(2, 1.5)), 4));
        }
    }

    /// <summary>Applications received by column: its own stream, so the next year's carry-over can be derived.</summary>
    private static decimal[] Received(long seed, BenchAgency agency, int year)
    {
        var random = Seeded.For(seed, Seeded.Key("received"), agency.Index, year);
        var total = Math.Floor(agency.Scale * random.LogNormal(1.3, 1.4));
        var columns = new decimal[Applicants.All.Count];
        foreach (var (column, share) in ApplicantShares)
        {
            columns[(int)column] = (decimal)Math.Floor(total * share * random.LogNormal(0, 0.8));
        }
        var others = columns.Sum();
        columns[(int)Applicant.NaturalPerson] = Math.Max(0, (decimal)total - others);
        columns[(int)Applicant.Total] = columns.Take(6).Sum();
        return columns;
    }

    /// <summary>Applications carried into the next year: at most what came in, so the year's arithmetic holds.</summary>
    private static decimal[] CarriedForward(long seed, BenchAgency agency, int year)
    {
        var received = Received(seed, agency, year);
        var random = Seeded.For(seed, Seeded.Key("carried"), agency.Index, year);
        var columns = new decimal[Applicants.All.Count];
        for (var c = 0; c < 6; c++)
        {
            columns[c] = random.Chance(0.3) ? Math.Floor(received[c] * (decimal)(0.15 * random.Uniform())) : 0;
        }
        columns[(int)Applicant.Total] = columns.Take(6).Sum();
        return columns;
    }

    private static void Applications(long seed, Seeded random, BenchAgency agency, int year, Edition edition,
        Dictionary<(string, Applicant?), decimal> cells)
    {
        var received = Received(seed, agency, year);
        var carriedOver = year == ReportYears.First ? new decimal[Applicants.All.Count] : CarriedForward(seed, agency, year - 1);
        var carriedForward = CarriedForward(seed, agency, year);
        var outcomes = edition == Edition.Edition2021 ? Outcomes.Concat(OtherHandling2021).ToArray()
            : Outcomes.Append(("applications.otherHandling", 0.05)).ToArray();

        foreach (var column in Applicants.Parts)
        {
            var c = (int)column;
            var handled = received[c] + carriedOver[c] - carriedForward[c];
            var left = handled;
            foreach (var (row, share) in outcomes)
            {
                var n = Math.Min(left, Math.Floor(handled * (decimal)(share * random.LogNormal(0, 0.7))));
                cells[(row, column)] = n;
                left -= n;
            }
            cells[("applications.granted", column)] = left;
            cells[("applications.newlyReceived", column)] = received[c];
            cells[("applications.carriedOver", column)] = carriedOver[c];
            cells[("applications.totalHandled", column)] = handled;
            cells[("applications.carriedForward", column)] = carriedForward[c];
        }
        foreach (var row in MetricCatalogue.FieldsOf(edition).Where(m => m.HasApplicants))
        {
            cells[(row.Code, Applicant.Total)] = Applicants.Parts.Sum(column => cells[(row.Code, column)]);
        }
    }

    private static void Appeals(Seeded random, BenchAgency agency, Dictionary<(string, Applicant?), decimal> cells)
    {
        foreach (var (block, typical) in new[] { ("review", 0.4), ("litigationDirect", 0.25), ("litigationAfterReview", 0.1) })
        {
            var total = Math.Floor(typical * agency.Scale * random.LogNormal(-0.5, 1.2));
            var corrected = Math.Floor(total * 0.1 * random.Uniform());
            var pending = Math.Floor(total * 0.15 * random.Uniform());
            var other = Math.Floor(total * 0.1 * random.Uniform());
            cells[($"appeals.{block}.upheld", null)] = (decimal)(total - corrected - pending - other);
            cells[($"appeals.{block}.corrected", null)] = (decimal)corrected;
            cells[($"appeals.{block}.other", null)] = (decimal)other;
            cells[($"appeals.{block}.pending", null)] = (decimal)pending;
            cells[($"appeals.{block}.total", null)] = (decimal)total;
        }
    }

    // One slip of the kind published reports make: a total off by a few, an outcome row or the balance not adding up.
    private static void BreakOneRule(Seeded random, Dictionary<(string, Applicant?), decimal> cells)
    {
        var slip = random.Between(1, 5);
        switch (random.Between(1, 4))
        {
            case 1: // R1: carried forward does not balance
                cells[("applications.carriedForward", Applicant.NaturalPerson)] += slip;
                cells[("applications.carriedForward", Applicant.Total)] += slip;
                break;
            case 2: // R2: a row total that is not the sum of its columns
                cells[("applications.granted", Applicant.Total)] += slip;
                break;
            case 3: // R3 (and so R1): the total handled is not the sum of the outcomes
                cells[("applications.totalHandled", Applicant.NaturalPerson)] += slip;
                cells[("applications.totalHandled", Applicant.Total)] += slip;
                break;
            default: // R4: an appeals total that is not its four outcomes
                cells[("appeals.review.total", null)] += slip;
                break;
        }
    }
}
