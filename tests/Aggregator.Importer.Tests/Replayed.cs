using CsCheck;

namespace Aggregator.Importer.Tests;

/// <summary>
/// The inputs of a fuzz run, every one drawn from one seeded generator in turn, so a seed names the whole run: the
/// same seed gives the same inputs in the same order on every machine (CsCheck's Sample seeds only its first
/// iteration and draws the rest at random).
/// </summary>
public static class Replayed
{
    public static IEnumerable<T> Inputs<T>(Gen<T> gen, string seed, int count)
    {
        var pcg = PCG.Parse(seed);
        for (var i = 0; i < count; i++)
        {
            yield return gen.Generate(pcg, null, out _);
        }
    }
}
