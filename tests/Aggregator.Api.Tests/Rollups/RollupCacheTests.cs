using Aggregator.Api.Features.Rollups.GetRollup;

namespace Aggregator.Api.Tests.Rollups;

/// <summary>
/// The rollup answer cache's limit (<c>Aggregator:Rollups:CacheBytes</c>) counts the rows' objects it keeps beside
/// their JSON, by an estimate: the estimate must not fall short of what the runtime measures those objects take (the
/// soak saw 64 MiB of setting take ~1 GB when only the JSON was counted), nor be far above it.
/// </summary>
public sealed class RollupCacheTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(6, false)]
    [InlineData(6, true)]
    [InlineData(40, false)]
    public void A_rows_estimate_covers_the_memory_its_objects_take(int metrics, bool compared)
    {
        const int count = 20_000;
        var codes = Enumerable.Range(0, metrics).Select(m => $"applications.metric{m}").ToArray(); // the catalogue's codes: shared
        // Bytes this thread allocates (the other tests running beside it do not count): the rows, and the few
        // closures of the loop, which make the measure a little high, not low.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var rows = new RollupRow[count];
        for (var i = 0; i < count; i++)
        {
            rows[i] = new RollupRow
            {
                Prefecture = (654200 + i % 100).ToString(), // read from the database: a string each
                PrefectureName = "塔城地区",                  // from the division directory: shared
                Year = 2019 + i % 7,
                Values = codes.ToDictionary(c => c, c => (decimal?)(i * 7 % 1000)),
                Blanks = codes.ToDictionary(c => c, _ => i % 3),
                Reports = 12,
                Expected = 14,
                ReportingRate = 0.857m,
                Previous = compared ? codes.ToDictionary(c => c, c => (decimal?)(i % 500)) : null,
                Change = compared ? codes.ToDictionary(c => c, c => (decimal?)(i % 50)) : null,
            };
        }
        var measured = GC.GetAllocatedBytesForCurrentThread() - before;
        var estimated = rows.Sum(RollupCache.RowBytes);
        GC.KeepAlive(rows);

        Assert.True(estimated >= measured, $"estimated {estimated:N0} bytes, measured {measured:N0}: the cache would hold more than it counts");
        Assert.True(estimated <= measured * 2.5, $"estimated {estimated:N0} bytes, measured {measured:N0}: the cache would hold far less than it may");
    }
}
