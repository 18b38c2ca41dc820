using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Aggregator.Api.Tests.Platform.Fuzz;

/// <summary>
/// Every write a 2xx answer acknowledged — agencies registered, revisions stored (agency, year, number, content hash),
/// keys issued and revoked — and, after the run, the comparison with what the database holds, read with SQL: the same
/// sets, nothing more (no row from a refused request), nothing less.
/// </summary>
public sealed class Ledger
{
    private readonly ConcurrentDictionary<string, byte> agencies = new();
    private readonly ConcurrentDictionary<Guid, byte> keys = new();
    private readonly ConcurrentDictionary<Guid, byte> revoked = new();
    private readonly ConcurrentDictionary<(string Agency, int Year, int Number), string> revisions = new();
    private readonly ConcurrentQueue<string> conflicts = new();
    private readonly ConcurrentDictionary<string, int> succeeded = new();
    private readonly ConcurrentQueue<string> submissions = new();

    public int Agencies => agencies.Count;
    public int Keys => keys.Count;
    public int Revoked => revoked.Count;
    public int Revisions => revisions.Count;

    /// <summary>Takes note of what a 2xx answer acknowledged; returns why it could not, for a 2xx to a write it does not understand.</summary>
    public string? Record(FuzzRequest request, FuzzResponse response)
    {
        // Methods are matched without regard to case by ASP.NET Core's routing: "get" is GET, "put" is PUT.
        if (response.Status is < 200 or >= 300 || request.Method.ToUpperInvariant() is "GET" or "HEAD" or "OPTIONS" or "TRACE")
        {
            return null;
        }
        try
        {
            if (response.MediaType == "application/x-ndjson")
            {
                foreach (var line in Encoding.UTF8.GetString(response.Body).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    using var outcome = JsonDocument.Parse(line);
                    var root = outcome.RootElement;
                    if (root.GetProperty("status").GetInt32() is 200 or 201)
                    {
                        Revision(root.GetProperty("agency").GetString()!, root.GetProperty("year").GetInt32(), root.GetProperty("revision").GetInt32(),
                            root.GetProperty("contentHash").GetString()!, "SubmitReport");
                    }
                }
                return null;
            }
            if (response.Status == 204 && request.Method.Equals("DELETE", StringComparison.OrdinalIgnoreCase))
            {
                var path = request.Target.Split('?')[0].TrimEnd('/');
                if (Guid.TryParse(Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]), out var id))
                {
                    revoked.TryAdd(id, 0);
                    Count("RevokeApiKey");
                    return null;
                }
                return "204 to a DELETE whose key id could not be read";
            }
            if (response.MediaType != "application/json")
            {
                return $"a {response.Status} to {request.Method} that is not JSON";
            }
            using var document = JsonDocument.Parse(response.Body);
            var body = document.RootElement;
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("contentHash", out var hash) && body.TryGetProperty("revision", out var number))
            {
                Revision(body.GetProperty("agency").GetString()!, body.GetProperty("year").GetInt32(), number.GetInt32(), hash.GetString()!, "SubmitReport");
                return null;
            }
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("diagnostics", out _) && body.TryGetProperty("revision", out var imported))
            {
                if (imported.ValueKind == JsonValueKind.Object)
                {
                    Revision(imported.GetProperty("agency").GetString()!, imported.GetProperty("year").GetInt32(), imported.GetProperty("revision").GetInt32(),
                        imported.GetProperty("contentHash").GetString()!, "ImportReport");
                }
                return null; // an import that was not submitted stores nothing
            }
            if (response.Status == 201 && body.TryGetProperty("divisionCode", out _) && body.TryGetProperty("code", out var code))
            {
                agencies.TryAdd(code.GetString()!, 0);
                Count("RegisterAgency");
                return null;
            }
            if (response.Status == 201 && body.TryGetProperty("key", out _) && body.TryGetProperty("id", out var key))
            {
                keys.TryAdd(key.GetGuid(), 0);
                Count("IssueApiKey");
                return null;
            }
            return $"a {response.Status} to {request.Method} whose body is not one of the known write answers";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return $"a {response.Status} to {request.Method} whose body could not be read: {e.Message}";
        }
    }

    private void Revision(string agency, int year, int number, string hash, string action)
    {
        var stored = revisions.GetOrAdd((agency, year, number), hash);
        if (stored != hash)
        {
            conflicts.Enqueue($"{agency}/{year} revision {number} acknowledged with two hashes: {stored} and {hash}");
        }
        Count(action);
        submissions.Enqueue($"{action} {agency}/{year}#{number}");
    }

    private void Count(string action) => succeeded.AddOrUpdate(action, 1, (_, n) => n + 1);

    /// <summary>What the database holds that no 2xx acknowledged, and what was acknowledged that it does not hold.</summary>
    public async Task<List<string>> CompareAsync(string connectionString)
    {
        var differences = new List<string>(conflicts);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        async Task<List<T>> Rows<T>(string sql, Func<NpgsqlDataReader, T> read)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<T>();
            while (await reader.ReadAsync())
            {
                rows.Add(read(reader));
            }
            return rows;
        }
        void Same<T>(string what, IEnumerable<T> expected, IEnumerable<T> actual)
        {
            var want = expected.ToHashSet();
            var have = actual.ToList();
            var extra = have.Where(r => !want.Contains(r)).Take(10).ToList();
            var missing = want.Except(have).Take(10).ToList();
            if (have.Count != have.Distinct().Count())
            {
                differences.Add($"{what}: duplicate rows");
            }
            if (extra.Count > 0)
            {
                differences.Add($"{what}: in the database, never acknowledged: {string.Join("; ", extra)}");
            }
            if (missing.Count > 0)
            {
                differences.Add($"{what}: acknowledged, not in the database: {string.Join("; ", missing)}");
            }
        }

        Same("agencies", agencies.Keys, await Rows("SELECT code FROM agencies", r => r.GetString(0)));

        var keyRows = await Rows("SELECT id, issued_by, revoked_at IS NOT NULL FROM api_keys", r => (Id: r.GetGuid(0), IssuedBy: r.GetString(1), Revoked: r.GetBoolean(2)));
        Same("api keys", keys.Keys, keyRows.Select(k => k.Id));
        // A revocation revokes the key and every key it issued, and those they issued.
        var expectedRevoked = new HashSet<Guid>(revoked.Keys.Where(keys.ContainsKey));
        for (var grown = true; grown;)
        {
            grown = false;
            foreach (var key in keyRows.Where(k => !expectedRevoked.Contains(k.Id) && Guid.TryParse(k.IssuedBy, out var issuer) && expectedRevoked.Contains(issuer)))
            {
                grown |= expectedRevoked.Add(key.Id);
            }
        }
        Same("revoked api keys", expectedRevoked, keyRows.Where(k => k.Revoked).Select(k => k.Id));

        Same("revisions", revisions.Select(r => $"{r.Key.Agency}/{r.Key.Year}#{r.Key.Number} {r.Value}"),
            await Rows("SELECT a.code, v.year, v.number, v.content_hash FROM revisions v JOIN agencies a ON a.id = v.agency_id",
                r => $"{r.GetString(0)}/{r.GetInt32(1)}#{r.GetInt32(2)} {r.GetString(3)}"));
        Same("reports and their current revision",
            revisions.Keys.GroupBy(r => (r.Agency, r.Year)).Select(g => $"{g.Key.Agency}/{g.Key.Year} current {g.Max(r => r.Number)}"),
            await Rows("SELECT a.code, r.year, r.current_revision FROM reports r JOIN agencies a ON a.id = r.agency_id",
                r => $"{r.GetString(0)}/{r.GetInt32(1)} current {(r.IsDBNull(2) ? "null" : r.GetInt32(2).ToString())}"));
        Same("reports that have cells", await Rows("SELECT agency_id || '/' || year FROM reports", r => r.GetString(0)),
            await Rows("SELECT DISTINCT agency_id || '/' || year FROM report_cells", r => r.GetString(0)));

        // The audit's successes are the acknowledged writes, one record each.
        var audit = await Rows("SELECT action, count(*)::int FROM audit_events WHERE outcome = 'succeeded' AND action <> 'SubmitReports' GROUP BY action",
            r => (Action: r.GetString(0), Count: r.GetInt32(1)));
        Same("succeeded writes in the audit by action", succeeded.Select(s => $"{s.Key} {s.Value}"), audit.Select(a => $"{a.Action} {a.Count}"));
        // Each acknowledged submission once (a repeat that changed nothing is a record of its own).
        var audited = await Rows("SELECT action, agency_code, year, revision FROM audit_events WHERE outcome = 'succeeded' AND action IN ('SubmitReport', 'ImportReport')",
            r => $"{r.GetString(0)} {(r.IsDBNull(1) ? "?" : r.GetString(1))}/{(r.IsDBNull(2) ? "?" : r.GetInt32(2))}#{(r.IsDBNull(3) ? "?" : r.GetInt32(3))}");
        var acknowledged = submissions.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var recorded = audited.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var uneven = acknowledged.Keys.Union(recorded.Keys)
            .Where(k => acknowledged.GetValueOrDefault(k) != recorded.GetValueOrDefault(k))
            .Select(k => $"{k}: acknowledged {acknowledged.GetValueOrDefault(k)}, in the audit {recorded.GetValueOrDefault(k)}").Take(10).ToList();
        if (uneven.Count > 0)
        {
            differences.Add("succeeded submissions in the audit: " + string.Join("; ", uneven));
        }
        return differences;
    }
}
