namespace Aggregator.Api.Data;

/// <summary>A government body that publishes an annual report.</summary>
public sealed class Agency
{
    public int Id { get; set; }

    /// <summary>Stable key: the unified social credit code or a slug.</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    /// <summary>6-digit GB/T 2260 administrative division of the agency.</summary>
    public required string DivisionCode { get; set; }

    public required string Sector { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    /// <summary>The first report year the agency is expected to report for; null: from the first (2019).</summary>
    public int? ActiveFrom { get; set; }

    /// <summary>The last report year the agency is expected to report for (it was merged or abolished); null: still active.</summary>
    public int? ActiveTo { get; set; }
}

/// <summary>
/// An agency's report for one year: the sequence of its revisions. Keyed by (agency, year), as everything about a
/// report is: the agency is the distribution key when the report tables are spread over several servers (Citus).
/// </summary>
public sealed class Report
{
    public int AgencyId { get; set; }
    public Agency Agency { get; set; } = null!;
    public int Year { get; set; }
    /// <summary>The number of the latest revision; null only inside the transaction that creates the report.</summary>
    public int? CurrentRevisionNumber { get; set; }
    public Revision? CurrentRevision { get; set; }
    /// <summary>When the first revision arrived (whether the report was late).</summary>
    public DateTimeOffset? FirstSubmittedAt { get; set; }
    public List<Revision> Revisions { get; set; } = [];
}

/// <summary>One submitted version of a report. Immutable once written.</summary>
public sealed class Revision
{
    public int AgencyId { get; set; }
    public int Year { get; set; }
    public Report Report { get; set; } = null!;
    /// <summary>1, 2, 3… within the report.</summary>
    public int Number { get; set; }
    /// <summary>"2019" or "2021".</summary>
    public required string Edition { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    /// <summary>SHA-256 of the canonical document JSON.</summary>
    public required string ContentHash { get; set; }
    /// <summary>The document in canonical JSON (jsonb).</summary>
    public required string Document { get; set; }
    /// <summary>The consistency findings computed at submission (jsonb array).</summary>
    public required string Findings { get; set; }
    public int FindingCount { get; set; }
}

/// <summary>
/// One cell of the current revision of a report: the fact table. Rewritten whenever a report gets a new revision;
/// older revisions keep their cells in <see cref="Revision.Document"/>. A metric without the applicant dimension is
/// stored in the <c>total</c> column (applicant 6).
/// </summary>
public sealed class ReportCell
{
    public int AgencyId { get; set; }
    public int Year { get; set; }
    public short MetricId { get; set; }
    public short Applicant { get; set; }
    /// <summary>Null when the published cell is blank.</summary>
    public decimal? Value { get; set; }
}

/// <summary>An API key: a role and a scope. Only a salted hash of its secret is stored.</summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }

    /// <summary>admin, region or bureau.</summary>
    public required string Role { get; set; }

    /// <summary>The one agency a bureau key may write.</summary>
    public int? AgencyId { get; set; }

    public Agency? Agency { get; set; }

    /// <summary>The division prefix (2, 4 or 6 digits) a region key may write inside.</summary>
    public string? DivisionPrefix { get; set; }

    public required byte[] Salt { get; set; }

    /// <summary>SHA-256 of salt + secret.</summary>
    public required byte[] SecretHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The key that issued this one; "config" for the bootstrap admin key.</summary>
    public required string IssuedBy { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>One write or attempted write, on record. Append-only.</summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The key used: its id, "config" for the bootstrap admin key, null when none or an invalid one was sent.</summary>
    public string? KeyId { get; set; }

    public string? Role { get; set; }

    public string? ClientAddress { get; set; }

    /// <summary>The operation, e.g. SubmitReport, RegisterAgency, IssueApiKey.</summary>
    public required string Action { get; set; }

    public required string Method { get; set; }

    public required string Path { get; set; }

    public string? AgencyCode { get; set; }

    public int? Year { get; set; }

    /// <summary>For report submissions that stored or returned a revision.</summary>
    public int? Revision { get; set; }

    public int Status { get; set; }

    /// <summary>succeeded, rejected (4xx) or failed (5xx).</summary>
    public required string Outcome { get; set; }

    public string? Detail { get; set; }
}

/// <summary>A GB/T 2260 administrative division: province, prefecture or county.</summary>
public sealed class Division
{
    /// <summary>6 digits: 650000, 654200, 654202.</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    /// <summary>province, prefecture or county.</summary>
    public required string Level { get; set; }

    /// <summary>The division one level up that really exists (a county under a municipality hangs under the municipality).</summary>
    public string? ParentCode { get; set; }

    /// <summary>Rollup key: the province the division is in.</summary>
    public required string ProvinceCode { get; set; }

    /// <summary>
    /// Rollup key: the prefecture-level unit the division is in — the municipality for its districts, the county itself
    /// for a county directly under a province (省直辖县级行政区划), the province itself for a province.
    /// </summary>
    public required string PrefectureCode { get; set; }
}
