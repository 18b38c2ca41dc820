namespace Aggregator.Domain;

/// <summary>A version of the national report template. Recognised from the table labels, never from the year.</summary>
public enum Edition
{
    /// <summary>国办公开办函〔2019〕60号, used for report years 2019 and 2020.</summary>
    Edition2019,

    /// <summary>国办公开办函〔2021〕30号, used from report year 2021 on.</summary>
    Edition2021,
}

public static class Editions
{
    public static readonly IReadOnlyList<Edition> All = [Edition.Edition2019, Edition.Edition2021];

    /// <summary>The edition's code as it appears in documents and URLs: "2019" or "2021".</summary>
    public static string Code(this Edition edition) => edition switch
    {
        Edition.Edition2019 => "2019",
        Edition.Edition2021 => "2021",
        _ => throw new ArgumentOutOfRangeException(nameof(edition)),
    };

    public static bool TryParse(string? code, out Edition edition)
    {
        switch (code)
        {
            case "2019": edition = Edition.Edition2019; return true;
            case "2021": edition = Edition.Edition2021; return true;
            default: edition = default; return false;
        }
    }

    /// <summary>The edition the State Council prescribed for a report year (a submission may still use another).</summary>
    public static Edition PrescribedFor(int reportYear) => reportYear <= 2020 ? Edition.Edition2019 : Edition.Edition2021;
}
