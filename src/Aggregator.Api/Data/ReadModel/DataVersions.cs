using System.Collections.Concurrent;

namespace Aggregator.Api.Data.ReadModel;

/// <summary>
/// What this instance knows of changes to the data rollups read: a counter per report year, and one for the
/// agencies (which change the agency-years expected in every year). A submission bumps its year's counter here as it
/// commits, and every instance bumps them on the database's notification (<see cref="RollupChangeListener"/>). A stamp
/// over a range of years changes whenever anything in it may have changed, so answers cached under a stamp and entity
/// tags made from one are never stale for longer than a notification takes. Stamps carry this instance's id, so a tag
/// from another instance, or from before a restart, never matches by accident.
/// </summary>
public sealed class DataVersions
{
    private readonly ConcurrentDictionary<int, long> years = new();
    private long agencies;

    /// <summary>This instance's id, which its stamps and change notifications carry (so that it can skip its own).</summary>
    public string Instance { get; } = Guid.NewGuid().ToString("N")[..8];

    public void Changed(int year) => years.AddOrUpdate(year, 1, (_, v) => v + 1);

    /// <summary>Something changed that every year depends on (an agency registered), or changes may have been missed.</summary>
    public void ChangedAll() => Interlocked.Increment(ref agencies);

    /// <summary>
    /// A stamp of the data of the report years from <paramref name="from"/> to <paramref name="to"/>: the sum of their
    /// counters and the agencies', which only grow, so any change in the range makes a new stamp.
    /// </summary>
    public string Stamp(int from, int to)
    {
        var sum = Interlocked.Read(ref agencies);
        for (var year = from; year <= to; year++)
        {
            sum += years.GetValueOrDefault(year);
        }
        return $"{Instance}.{sum}";
    }
}
