namespace Aggregator.Api.Infrastructure.Audit;

/// <summary>The audit record of the current request while it is being handled (a request feature of audited endpoints).</summary>
public sealed class AuditEntry(string action)
{
    public string Action { get; } = action;

    public string? Agency { get; private set; }
    public int? Year { get; private set; }
    public int? Revision { get; private set; }

    /// <summary>Why the request was refused, when the refusal was written before any exception (401/403 from the policies).</summary>
    public string? Refusal { get; private set; }

    /// <summary>True once an accepted write has put this record in its own commit: the audit then writes nothing more.</summary>
    public bool InCommit { get; private set; }

    public static AuditEntry? Of(HttpContext http) => http.Features.Get<AuditEntry>();

    public void WrittenInCommit() => InCommit = true;

    public void Refused(string detail) => Refusal = detail;

    public AuditEntry About(string? agency, int? year, int? revision)
    {
        Agency = agency ?? Agency;
        Year = year ?? Year;
        Revision = revision ?? Revision;
        return this;
    }

    public void About(IAuditSubject subject)
    {
        Agency = subject.AuditAgency ?? Agency;
        Year = subject.AuditYear ?? Year;
        Revision = subject.AuditRevision ?? Revision;
    }
}
