using System.Data;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Aggregator.Api.Data;
using Aggregator.Api.Data.ReadModel;
using Aggregator.Api.Infrastructure;
using Aggregator.Api.Infrastructure.Access;
using Aggregator.Api.Infrastructure.Audit;
using Aggregator.Api.Infrastructure.Problems;
using Aggregator.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Aggregator.Api.Features.Reports.SubmitReports;

/// <summary>
/// Submits many reports at once (back-filling history): each line is judged as a PUT of its agency's report for its
/// year would be — the same document rules, years, access, revisions, findings and audit record — and answered by a
/// line of its own. Lines are stored in batches of <see cref="SubmitReportsHandler.BatchSize"/>, a transaction each; a line that is refused
/// stores nothing and does not stop the others.
/// </summary>
public sealed record SubmitReports(ReportLines Lines) : ICommand<IAsyncEnumerable<SubmittedLine>>;

/// <summary>What became of one line.</summary>
/// <param name="Line">The line's number in the body, from 1.</param>
/// <param name="Status">What a PUT of it would have answered: 201 created, 200 revised or unchanged, 400, 403, 404.</param>
/// <param name="Submission">created, revised or unchanged, for an accepted line.</param>
/// <param name="Findings">How many consistency findings the stored revision has.</param>
/// <param name="Errors">For a 400: the fields or JSON paths at fault.</param>
public sealed record SubmittedLine(
    int Line, string? Agency, int? Year, int Status, int? Revision, SubmissionOutcome? Submission, string? ContentHash, int? Findings,
    string? Detail, IDictionary<string, string[]>? Errors);

public sealed class SubmitReportsHandler(
    AggregatorDbContext db, RevisionStore revisions, AccessControl access, DataVersions versions, IHttpContextAccessor http, TimeProvider clock)
    : ICommandHandler<SubmitReports, IAsyncEnumerable<SubmittedLine>>
{
    public const int BatchSize = 500;

    public ValueTask<IAsyncEnumerable<SubmittedLine>> Handle(SubmitReports command, CancellationToken cancellationToken) =>
        new(Submit(command.Lines, cancellationToken));

    private sealed record Parsed(int Line, string Agency, int Year, ReportDocument Document);

    private async IAsyncEnumerable<SubmittedLine> Submit(ReportLines lines, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batch = new List<Parsed>();
        var inBatch = new HashSet<(string Agency, int Year)>();
        var refused = new List<SubmittedLine>();
        await foreach (var line in lines.ReadAsync(cancellationToken))
        {
            var parsed = Parse(line, clock.GetUtcNow());
            if (parsed.Refusal is { } refusal)
            {
                refused.Add(refusal);
            }
            else if (!inBatch.Add((parsed.Item!.Agency, parsed.Item.Year)))
            {
                // One agency-year once per transaction: a later line for it is a correction of the one before.
                foreach (var result in await Store(batch, refused, cancellationToken))
                {
                    yield return result;
                }
                batch = [parsed.Item!];
                inBatch = [(parsed.Item!.Agency, parsed.Item.Year)];
                refused = [];
                continue;
            }
            else
            {
                batch.Add(parsed.Item!);
            }
            if (batch.Count + refused.Count >= BatchSize)
            {
                foreach (var result in await Store(batch, refused, cancellationToken))
                {
                    yield return result;
                }
                batch = [];
                inBatch = [];
                refused = [];
            }
        }
        foreach (var result in await Store(batch, refused, cancellationToken))
        {
            yield return result;
        }
    }

    private static (Parsed? Item, SubmittedLine? Refusal) Parse(ReportLines.Line line, DateTimeOffset now)
    {
        SubmittedLine Invalid(string? agency, int? year, string field, string message) =>
            new(line.Number, agency, year, 400, null, null, null, null, "The line is invalid; nothing of it was stored.",
                new Dictionary<string, string[]> { [field] = [message] });
        if (line.Json is not { } json)
        {
            return (null, new SubmittedLine(line.Number, null, null, 413, null, null, null, null, line.Refusal, null));
        }
        try
        {
            using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            var root = parsed.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, Invalid(null, null, "$", "Each line is one JSON object: {\"agency\": \"…\", \"year\": 2021, \"document\": {…}}."));
            }
            // Names and the agency are compared and read with care: JSON text that is not UTF-8 throws when it is turned into a string.
            var unknown = root.EnumerateObject().Where(p => !(p.NameEquals("agency") || p.NameEquals("year") || p.NameEquals("document")))
                .Select(p => Text(() => p.Name) ?? "(a name that is not UTF-8 text)").FirstOrDefault();
            if (unknown is not null)
            {
                return (null, Invalid(null, null, "$." + unknown, "Unknown field; a line has agency, year and document."));
            }
            var hasAgency = root.TryGetProperty("agency", out var a) && a.ValueKind == JsonValueKind.String;
            var agency = hasAgency ? Text(a.GetString) : null;
            int? year = root.TryGetProperty("year", out var y) && y.ValueKind == JsonValueKind.Number && y.TryGetInt32(out var n) ? n : null;
            if (hasAgency && agency is null)
            {
                return (null, Invalid(null, year, "$.agency", "Not UTF-8 text."));
            }
            if (string.IsNullOrEmpty(agency))
            {
                return (null, Invalid(null, year, "$.agency", "The agency's code, a string."));
            }
            if (agency.Any(char.IsControl))
            {
                // No agency code holds one, and PostgreSQL cannot even look up a text with a NUL (the whole request answered 500).
                return (null, Invalid(null, year, "$.agency", "Must not contain control characters."));
            }
            if (year is null)
            {
                return (null, Invalid(agency, null, "$.year", "The report year, a whole number."));
            }
            if (ReportYears.Refusal(year.Value, now) is { } refusal)
            {
                return (null, Invalid(agency, year, "$.year", refusal));
            }
            if (!root.TryGetProperty("document", out var body))
            {
                return (null, Invalid(agency, year, "$.document", "The report document of the line."));
            }
            var document = ReportDocumentJson.Parse(body);
            if (!document.Succeeded)
            {
                return (null, new SubmittedLine(line.Number, agency, year, 400, null, null, null, null, "The report document is invalid; nothing of it was stored.",
                    document.Errors.GroupBy(e => "$.document" + e.Path.TrimStart('$')).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray())));
            }
            return (new Parsed(line.Number, agency, year.Value, document.Document!), null);
        }
        catch (JsonException e)
        {
            return (null, Invalid(null, null, "$", $"Not JSON: {e.Message}"));
        }
    }

    /// <summary>The string JSON text holds, or null when it is not UTF-8.</summary>
    private static string? Text(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Judges and stores one batch in one transaction, with the audit record of every line; results in line order.</summary>
    private async Task<IReadOnlyList<SubmittedLine>> Store(List<Parsed> batch, List<SubmittedLine> refused, CancellationToken cancellationToken)
    {
        if (batch.Count == 0 && refused.Count == 0)
        {
            return [];
        }
        var codes = batch.Select(p => p.Agency).Distinct().ToArray();
        var agencies = await db.Agencies.AsNoTracking().Where(a => codes.Contains(a.Code)).ToDictionaryAsync(a => a.Code, cancellationToken);
        var results = new List<SubmittedLine>(refused);
        var accepted = new List<(Parsed Line, Agency Agency)>();
        foreach (var line in batch)
        {
            if (!agencies.TryGetValue(line.Agency, out var agency))
            {
                results.Add(new SubmittedLine(line.Line, line.Agency, line.Year, 404, null, null, null, null,
                    $"No agency with code '{line.Agency}'. Register it first (POST /api/v1/agencies).", null));
                continue;
            }
            try
            {
                await access.DemandAsync(new AgencyResource(agency.Code, agency.DivisionCode), Operations.WriteReports);
                accepted.Add((line, agency));
            }
            catch (ForbiddenException e)
            {
                results.Add(new SubmittedLine(line.Line, line.Agency, line.Year, 403, null, null, null, null, e.Message, null));
            }
        }

        var context = http.HttpContext!;
        var entry = AuditEntry.Of(context);
        AuditEvent Record(SubmittedLine line) =>
            AuditMiddleware.Build(context, new AuditEntry("SubmitReport").About(line.Agency, line.Year, line.Revision), line.Status,
                line.Status >= 400 ? line.Detail : null, clock.GetUtcNow());

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            var stored = await revisions.StoreManyAsync(connection, accepted.Select(a => (a.Agency, a.Line.Year, a.Line.Document)).ToArray(),
                (index, status, number) => Record(new SubmittedLine(0, accepted[index].Agency.Code, accepted[index].Line.Year, status, number, null, null, null, null, null)),
                cancellationToken);
            for (var i = 0; i < accepted.Count; i++)
            {
                var (line, agency) = accepted[i];
                var (outcome, revision) = stored[i];
                results.Add(new SubmittedLine(line.Line, agency.Code, line.Year, outcome == SubmissionOutcome.Created ? 201 : 200, revision.Number, outcome,
                    revision.ContentHash, revision.FindingCount, null, null));
            }
            var unrecorded = results.Where(r => r.Status >= 400 || r.Submission == SubmissionOutcome.Unchanged).Select(Record).ToArray();
            if (unrecorded.Length > 0)
            {
                await using var audit = new NpgsqlBatch(connection);
                foreach (var record in unrecorded)
                {
                    audit.BatchCommands.Add(AuditRecords.Insert(record));
                }
                await audit.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        foreach (var year in accepted.Select(a => a.Line.Year).Distinct())
        {
            versions.Changed(year);
        }
        entry?.WrittenInCommit();
        return results.OrderBy(r => r.Line).ToArray();
    }
}

public static class SubmitReportsEndpoint
{
    public static void Map(IEndpointRouteBuilder reports) =>
        reports.MapPost("/bulk", async Task<NdjsonResult<SubmittedLine>> (ReportLines lines, IMediator mediator, CancellationToken cancellationToken) =>
                new NdjsonResult<SubmittedLine>(await mediator.Send(new SubmitReports(lines), cancellationToken)))
            .WithName("SubmitReports")
            .WithSummary("Submit many reports at once: NDJSON in, one NDJSON line of outcome per line out")
            .WithDescription("Body: application/x-ndjson, one {\"agency\": code, \"year\": 2021, \"document\": {…}} a line, at most 10,000 lines and 64 MiB. " +
                             "Each line is judged as a PUT of that report would be (document rules, year, access, revisions, findings, audit) and answered " +
                             "in order by {line, agency, year, status, revision, submission, contentHash, findings, detail, errors}; a refused line stores " +
                             "nothing and does not stop the others. Lines are stored 500 to a transaction.")
            .Accepts<string>(ReportLines.MediaTypes[0], ReportLines.MediaTypes[1])
            .Audited("SubmitReports")
            .RequireAuthorization(Policies.Key)
            .ProducesProblem(401)
            .ProducesProblem(413)
            .ProducesProblem(415);
}
