using Aggregator.Api.Data;

namespace Aggregator.Api.Infrastructure.Audit;

/// <summary>
/// Lets a write put the audit record of the current request in its own commit (accepted writes: the record and the
/// data land together or not at all). Refusals and failures are still recorded by <see cref="AuditMiddleware"/>.
/// </summary>
public sealed class AuditTrail(IHttpContextAccessor accessor, TimeProvider clock)
{
    /// <summary>The record of the current request given the status and revision it answers with; null outside an audited request.</summary>
    public Func<int, int, AuditEvent>? ForAcceptedWrite(string agency, int year)
    {
        if (accessor.HttpContext is not { } http || AuditEntry.Of(http) is not { } entry)
        {
            return null;
        }
        return (status, revision) =>
        {
            entry.About(new Subject(agency, year, revision));
            entry.WrittenInCommit();
            return AuditMiddleware.Build(http, entry, status, null, clock.GetUtcNow());
        };
    }

    private sealed record Subject(string Agency, int Year, int Revision) : IAuditSubject
    {
        string? IAuditSubject.AuditAgency => Agency;
        int? IAuditSubject.AuditYear => Year;
        int? IAuditSubject.AuditRevision => Revision;
    }
}
