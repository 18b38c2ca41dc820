using System.Text.Json.Serialization;
using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Audit;
using Aggregator.Domain;

namespace Aggregator.Api.Features.Shared;

/// <summary>One revision of an agency's report for a year, with the findings stored beside its published numbers.</summary>
public sealed record RevisionResponse(
    string Agency,
    int Year,
    string Edition,
    int Revision,
    DateTimeOffset SubmittedAt,
    string ContentHash,
    IReadOnlyList<Finding> Findings,
    ReportDocument Document) : IAuditSubject
{
    public static RevisionResponse From(string agency, int year, Revision revision) =>
        new(agency, year, revision.Edition, revision.Number, revision.SubmittedAt, revision.ContentHash,
            StoredJson.ReadFindings(revision.Findings), StoredJson.ReadDocument(revision.Document));

    /// <summary>The entity tag of a revision: its content hash, quoted.</summary>
    [JsonIgnore]
    public string ETag => $"\"{ContentHash}\"";

    string? IAuditSubject.AuditAgency => Agency;
    int? IAuditSubject.AuditYear => Year;
    int? IAuditSubject.AuditRevision => Revision;
}
