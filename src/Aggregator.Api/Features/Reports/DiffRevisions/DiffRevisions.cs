using Aggregator.Api.Data;
using Aggregator.Api.Infrastructure.Problems;
using FluentValidation;
using Aggregator.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Aggregator.Api.Features.Reports.DiffRevisions;

/// <summary>What a correction changed: revision <paramref name="Revision"/> against the earlier revision <paramref name="From"/>.</summary>
/// <param name="From">The earlier revision; null for the one before <paramref name="Revision"/>.</param>
public sealed record DiffRevisions(string AgencyCode, int Year, int Revision, int? From) : IQuery<RevisionDiff>
{
    public int Earlier => From ?? Revision - 1;
}

public sealed class DiffRevisionsValidator : AbstractValidator<DiffRevisions>
{
    public DiffRevisionsValidator()
    {
        RuleFor(q => q.Revision).GreaterThanOrEqualTo(1).WithMessage("Must be a revision number, from 1.");
        RuleFor(q => q.From)
            .Must((q, _) => q.Earlier >= 1)
            .WithMessage(q => q.From is null && q.Revision == 1
                ? "Revision 1 is the first; there is no earlier revision to compare it with."
                : "Must be a revision number, from 1.")
            .DependentRules(() => RuleFor(q => q.From)
                .Must((q, _) => q.Earlier < q.Revision)
                .WithMessage(q => $"Must be an earlier revision than {q.Revision}."));
    }
}

/// <summary>
/// The cells and narrative parts that differ between two revisions, in template order. When the edition changed, the
/// cells of both editions' documents are compared: those of one edition only are listed as <c>removed</c> (from the
/// earlier edition) or <c>added</c> (in the later one), so every cell of both documents is accounted for.
/// </summary>
public sealed record RevisionDiff(string Agency, int Year, int Revision, int From, string Edition, string FromEdition, IReadOnlyList<RevisionChange> Changes);

public enum ChangeKind
{
    /// <summary>The cell or narrative part is in both revisions and differs (blank → 0 is a change).</summary>
    Changed,

    /// <summary>The cell exists only in the later revision's edition; <c>from</c> is null.</summary>
    Added,

    /// <summary>The cell exists only in the earlier revision's edition; <c>to</c> is null.</summary>
    Removed,
}

/// <param name="Path">A cell (<c>applications.granted.total</c>) or a narrative part (<c>overview</c>, <c>problems</c>, <c>otherMatters</c>).</param>
/// <param name="From">The earlier number or text; null when blank (or absent: kind <c>added</c>).</param>
/// <param name="To">The later number or text; null when blank (or absent: kind <c>removed</c>).</param>
public sealed record RevisionChange(string Path, object? From, object? To, ChangeKind Kind);

public sealed class DiffRevisionsHandler(AggregatorDbContext db) : IQueryHandler<DiffRevisions, RevisionDiff>
{
    public async ValueTask<RevisionDiff> Handle(DiffRevisions query, CancellationToken cancellationToken)
    {
        var revisions = await db.Revisions.AsNoTracking()
            .Where(r => r.Report.Agency.Code == query.AgencyCode && r.Report.Year == query.Year
                        && (r.Number == query.Revision || r.Number == query.Earlier))
            .ToDictionaryAsync(r => r.Number, r => r.Document, cancellationToken);
        // The revision asked for first: a diff of a revision that does not exist is about that revision.
        var later = Read(query, query.Revision, revisions);
        var earlier = Read(query, query.Earlier, revisions);

        var changes = new List<RevisionChange>();
        Narrative(changes, "overview", earlier.Overview, later.Overview);
        foreach (var metric in MetricCatalogue.All.Where(m => m.IsFieldOf(earlier.Edition) || m.IsFieldOf(later.Edition)))
        {
            foreach (var applicant in ReportDocument.ColumnsOf(metric))
            {
                var path = new Cell(metric, applicant, null).Path;
                if (!metric.IsFieldOf(later.Edition))
                {
                    changes.Add(new RevisionChange(path, Number(earlier.Get(metric, applicant)), null, ChangeKind.Removed));
                }
                else if (!metric.IsFieldOf(earlier.Edition))
                {
                    changes.Add(new RevisionChange(path, null, Number(later.Get(metric, applicant)), ChangeKind.Added));
                }
                else
                {
                    var from = earlier.Get(metric, applicant);
                    var to = later.Get(metric, applicant);
                    if (from != to)
                    {
                        changes.Add(new RevisionChange(path, Number(from), Number(to), ChangeKind.Changed));
                    }
                }
            }
        }
        Narrative(changes, "problems", earlier.Problems, later.Problems);
        Narrative(changes, "otherMatters", earlier.OtherMatters, later.OtherMatters);
        return new RevisionDiff(query.AgencyCode, query.Year, query.Revision, query.Earlier, later.Edition.Code(), earlier.Edition.Code(), changes);
    }

    private static void Narrative(List<RevisionChange> changes, string path, string? from, string? to)
    {
        if (!string.Equals(from, to, StringComparison.Ordinal))
        {
            changes.Add(new RevisionChange(path, from, to, ChangeKind.Changed));
        }
    }

    private static object? Number(decimal? value) => value is { } v ? Numbers.Canonical(v) : null;

    private static ReportDocument Read(DiffRevisions query, int number, Dictionary<int, string> revisions) =>
        revisions.TryGetValue(number, out var json)
            ? StoredJson.ReadDocument(json)
            : throw new NotFoundException($"Agency '{query.AgencyCode}' has no revision {number} of its report for {query.Year}.");
}

public static class DiffRevisionsEndpoint
{
    public static void Map(IEndpointRouteBuilder reports) =>
        reports.MapGet("/{year:int}/revisions/{revision:int}/diff", async Task<Ok<RevisionDiff>> (
                string code, int year, int revision, int? from, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new DiffRevisions(code, year, revision, from), cancellationToken)))
            .WithName("DiffRevisions")
            .WithSummary("List the cells and narrative parts a correction changed (from defaults to the revision before)")
            .WithDescription("A blank cell is null; blank → 0 is a change. Across an edition change, cells of one edition only are listed as added or removed.")
            .ProducesValidationProblem()
            .ProducesProblem(404);
}
