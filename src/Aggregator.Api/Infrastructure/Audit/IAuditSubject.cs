namespace Aggregator.Api.Infrastructure.Audit;

/// <summary>
/// What an audited write was about, told by the request or the result itself (implemented explicitly, so it stays out
/// of the JSON): the audit records it without knowing the type.
/// </summary>
public interface IAuditSubject
{
    string? AuditAgency => null;
    int? AuditYear => null;
    int? AuditRevision => null;
}
