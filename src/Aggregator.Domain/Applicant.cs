namespace Aggregator.Domain;

/// <summary>The seven columns of part 三: who applied. <see cref="Total"/> is the template's own 总计 column.</summary>
public enum Applicant
{
    NaturalPerson,
    Commercial,
    Research,
    PublicInterest,
    LegalService,
    OtherOrganization,
    Total,
}

public static class Applicants
{
    public static readonly IReadOnlyList<Applicant> All =
    [
        Applicant.NaturalPerson, Applicant.Commercial, Applicant.Research, Applicant.PublicInterest,
        Applicant.LegalService, Applicant.OtherOrganization, Applicant.Total,
    ];

    /// <summary>The six columns that add up to <see cref="Applicant.Total"/> (rule R2).</summary>
    public static readonly IReadOnlyList<Applicant> Parts = All.Take(6).ToArray();

    public static string Key(this Applicant applicant) => applicant switch
    {
        Applicant.NaturalPerson => "naturalPerson",
        Applicant.Commercial => "commercial",
        Applicant.Research => "research",
        Applicant.PublicInterest => "publicInterest",
        Applicant.LegalService => "legalService",
        Applicant.OtherOrganization => "otherOrganization",
        Applicant.Total => "total",
        _ => throw new ArgumentOutOfRangeException(nameof(applicant)),
    };

    public static string Label(this Applicant applicant) => applicant switch
    {
        Applicant.NaturalPerson => "自然人",
        Applicant.Commercial => "商业企业",
        Applicant.Research => "科研机构",
        Applicant.PublicInterest => "社会公益组织",
        Applicant.LegalService => "法律服务机构",
        Applicant.OtherOrganization => "其他",
        Applicant.Total => "总计",
        _ => throw new ArgumentOutOfRangeException(nameof(applicant)),
    };

    public static bool TryParse(string? key, out Applicant applicant)
    {
        foreach (var candidate in All)
        {
            if (candidate.Key() == key)
            {
                applicant = candidate;
                return true;
            }
        }
        applicant = default;
        return false;
    }
}
