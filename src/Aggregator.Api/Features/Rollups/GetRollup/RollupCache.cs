using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aggregator.Api.Data.ReadModel;
using Aggregator.Api.Features.Shared;
using Aggregator.Domain;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Aggregator.Api.Features.Rollups.GetRollup;

/// <summary>
/// Rollup answers by data version. Each request (every parameter, normalised) keeps its latest answer with the stamp
/// of the years it reads (<see cref="DataVersions"/>). While the stamp holds, a repeat is served from memory — the JSON
/// as it was written — and a revalidation is a 304, neither touching the database. When the stamp moves the answer is
/// made again; if its rows are those already held, the held answer stays (its <c>asOf</c> is still true), so its
/// entity tag still matches and a change elsewhere in the same year costs clients nothing.
/// <para>
/// An answer grouped by year is kept year by year as well, each row with its JSON: when the stamp moves, only the
/// years whose own stamp moved are computed again (a correction to one year's report recomputes that year), and the
/// answer is put together from the years' rows, in order, their JSON written once.
/// </para>
/// </summary>
public sealed class RollupCache(IMemoryCache cache, DataVersions versions, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    /// <summary>
    /// An answer's JSON, its entity tag, the data stamp it is known to hold for, and a hash of its rows' JSON; the
    /// answer's objects only for a CSV request (which writes them), a JSON one is served from its bytes.
    /// </summary>
    public sealed record Entry(RollupResponse? Response, byte[] Json, string ETag, string Stamp, byte[] RowsHash);

    /// <summary>One year's rows of an answer grouped by year, each with its JSON, and that year's stamp.</summary>
    private sealed record YearPart(RollupResponse Response, byte[][] RowJson, string Stamp);

    private static readonly byte[] NoRows = "\"rows\":[]"u8.ToArray();

    private JsonSerializerOptions Options => json.Value.SerializerOptions;

    /// <summary>The held answer when nothing it reads has changed since; null otherwise.</summary>
    public Entry? Current(GetRollup query)
    {
        var (key, stamp) = Key(query);
        return cache.TryGetValue(key, out Entry? held) && held!.Stamp == stamp ? held : null;
    }

    /// <param name="compute">Answers a query (the whole request, or the same for a span of its years).</param>
    public async Task<Entry> ComputeAsync(GetRollup query, Func<GetRollup, Task<RollupResponse>> compute)
    {
        var (key, stamp) = Key(query);
        var (response, rows) = GroupsByYear(query) ? await ByYear(query, key, compute) : Whole(await compute(query));
        var rowsHash = SHA256.HashData(rows);
        if (cache.TryGetValue(key, out Entry? held) && held!.RowsHash.AsSpan().SequenceEqual(rowsHash))
        {
            return Keep(key, held with { Stamp = stamp });
        }
        var withoutRows = JsonSerializer.SerializeToUtf8Bytes(response with { Rows = [] }, Options);
        // The tag covers the whole answer: the request, the answer without its rows, and the rows (by their hash).
        var tag = $"\"r-{Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes(key), .. withoutRows, .. rowsHash]))[..32]}\"";
        return Keep(key, new Entry(query.Output().IsCsv ? response : null, WithRows(withoutRows, rows), tag, stamp, rowsHash));
    }

    private (RollupResponse, byte[]) Whole(RollupResponse response) => (response, JsonSerializer.SerializeToUtf8Bytes(response.Rows, Options));

    private static bool GroupsByYear(GetRollup query) => QueryList.Items(query.GroupBy).Contains(Dimension.Year.Key());

    /// <summary>
    /// The answer put together from its years: the years whose stamp moved (or never kept) are computed in one query
    /// over their span, and kept; the others come from memory. Returns the answer and its rows' JSON array.
    /// </summary>
    private async Task<(RollupResponse, byte[])> ByYear(GetRollup query, string key, Func<GetRollup, Task<RollupResponse>> compute)
    {
        var first = query.YearFrom ?? ReportYears.First;
        var last = query.YearTo ?? ReportYears.LastCompleted(clock.GetUtcNow());
        if (first < ReportYears.First || last > ReportYears.QueryLimit || last < first)
        {
            return Whole(await compute(query)); // not a valid span: the validator says why
        }
        var lookback = query.Compare is null ? 0 : 1;
        var parts = new YearPart?[last - first + 1];
        var stamps = new string[parts.Length];
        for (var year = first; year <= last; year++)
        {
            stamps[year - first] = versions.Stamp(year - lookback, year);
            parts[year - first] = cache.TryGetValue(PartKey(key, year), out YearPart? part) && part!.Stamp == stamps[year - first] ? part : null;
        }
        var stale = Enumerable.Range(first, parts.Length).Where(year => parts[year - first] is null).ToArray();
        RollupResponse? computed = null;
        if (stale.Length > 0)
        {
            computed = await compute(query with { YearFrom = stale[0], YearTo = stale[^1] });
            var rowsByYear = computed.Rows.ToLookup(r => r.Year);
            for (var year = stale[0]; year <= stale[^1]; year++)
            {
                var rows = rowsByYear[year].ToArray();
                var part = new YearPart(computed with { Rows = rows }, rows.Select(r => JsonSerializer.SerializeToUtf8Bytes(r, Options)).ToArray(), stamps[year - first]);
                parts[year - first] = part;
                cache.Set(PartKey(key, year), part, new MemoryCacheEntryOptions
                {
                    Size = 1024 + part.RowJson.Sum(r => r.Length + 64) + rows.Sum(RowBytes), SlidingExpiration = TimeSpan.FromMinutes(10),
                });
            }
        }

        var order = new RowOrder(RollupSpec.From(query).GroupBy);
        var all = parts.SelectMany(p => p!.Response.Rows.Select((row, i) => (Row: row, Json: p.RowJson[i]))).OrderBy(r => r.Row, order).ToArray();
        var array = new byte[2 + all.Sum(r => r.Json.Length + 1) - (all.Length > 0 ? 1 : 0)];
        array[0] = (byte)'[';
        var at = 1;
        foreach (var (_, rowJson) in all)
        {
            if (at > 1)
            {
                array[at++] = (byte)',';
            }
            rowJson.CopyTo(array, at);
            at += rowJson.Length;
        }
        array[at] = (byte)']';
        var template = computed ?? parts[0]!.Response;
        return (template with { Rows = all.Select(r => r.Row).ToArray(), AsOf = computed?.AsOf ?? parts.Max(p => p!.Response.AsOf) }, array);
    }

    /// <summary>The answer's JSON: the JSON of the answer written without rows, with its rows' JSON put in their place.</summary>
    private static byte[] WithRows(byte[] withoutRows, byte[] rows)
    {
        var at = withoutRows.AsSpan().IndexOf(NoRows);
        if (at < 0)
        {
            throw new InvalidOperationException("The rollup answer's JSON has no \"rows\":[] to fill.");
        }
        var prefix = at + NoRows.Length - 2; // up to and including "rows":
        return [.. withoutRows.AsSpan(0, prefix), .. rows, .. withoutRows.AsSpan(prefix + 2)];
    }

    private static string PartKey(string key, int year) => $"{key}\u001fyear={year}";

    private Entry Keep(string key, Entry entry) =>
        cache.Set(key, entry, new MemoryCacheEntryOptions
        {
            Size = entry.Json.Length + 1024 + (entry.Response?.Rows.Sum(RowBytes) ?? 0), SlidingExpiration = TimeSpan.FromMinutes(10),
        });

    /// <summary>
    /// About how much memory a row's objects take (what <c>CacheBytes</c> counts beside the JSON): the record, its
    /// strings, and its dictionaries' tables (an entry of a metric's value ~48 bytes with its share of the buckets).
    /// <c>RollupCacheTests</c> checks it against what the runtime measures.
    /// </summary>
    public static long RowBytes(RollupRow row)
    {
        static long Text(string? text) => text is null ? 0 : 24 + 2L * text.Length;
        static long Table(int count, int entry) => count == 0 ? 0 : 200 + (long)count * entry;
        return 320 + Text(row.Province) + Text(row.ProvinceName) + Text(row.Prefecture) + Text(row.PrefectureName) + Text(row.County)
               + Text(row.CountyName) + Text(row.Sector) + Text(row.SectorName) + Text(row.Agency) + Text(row.AgencyName) + Text(row.Applicant)
               + Table(row.Values.Count, 56) + Table(row.Blanks.Count, 40) + Table(row.Previous?.Count ?? 0, 56) + Table(row.Change?.Count ?? 0, 56);
    }

    private (string Key, string Stamp) Key(GetRollup query)
    {
        var from = (query.YearFrom ?? ReportYears.First) - (query.Compare is null ? 0 : 1);
        var to = query.YearTo ?? ReportYears.QueryLimit;
        var request = string.Join("\u001f", "rollup",
            string.Join(",", QueryList.Items(query.Metric)), string.Join(",", QueryList.Items(query.GroupBy)), query.Division, query.Sector,
            query.YearFrom, query.YearTo, query.Applicant, query.Compare, query.Format?.ToLowerInvariant(), query.Labels?.ToLowerInvariant());
        return (request, versions.Stamp(from, to));
    }
}
