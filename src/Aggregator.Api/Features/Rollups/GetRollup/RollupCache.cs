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
/// computed again; if its numbers are those already held, the held answer stays (its <c>asOf</c> is still true), so
/// its entity tag still matches and a change elsewhere in the same year costs clients nothing.
/// </summary>
public sealed class RollupCache(IMemoryCache cache, DataVersions versions, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    /// <summary>An answer, its JSON, its entity tag, and the data stamp it is known to hold for.</summary>
    public sealed record Entry(RollupResponse Response, byte[] Json, string ETag, string Stamp);

    /// <summary>The held answer when nothing it reads has changed since; null otherwise.</summary>
    public Entry? Current(GetRollup query)
    {
        var (key, stamp) = Key(query);
        return cache.TryGetValue(key, out Entry? held) && held!.Stamp == stamp ? held : null;
    }

    public async Task<Entry> ComputeAsync(GetRollup query, Func<Task<RollupResponse>> compute)
    {
        var (key, stamp) = Key(query);
        var response = await compute();
        if (cache.TryGetValue(key, out Entry? held)
            && JsonSerializer.SerializeToUtf8Bytes(response with { AsOf = held!.Response.AsOf }, json.Value.SerializerOptions).AsSpan().SequenceEqual(held.Json))
        {
            return Keep(key, held with { Stamp = stamp });
        }
        var bytes = JsonSerializer.SerializeToUtf8Bytes(response, json.Value.SerializerOptions);
        var tag = $"\"r-{Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes(key), .. bytes]))[..32]}\"";
        return Keep(key, new Entry(response, bytes, tag, stamp));
    }

    private Entry Keep(string key, Entry entry) =>
        cache.Set(key, entry, new MemoryCacheEntryOptions { Size = entry.Json.Length + 1024, SlidingExpiration = TimeSpan.FromMinutes(10) });

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
