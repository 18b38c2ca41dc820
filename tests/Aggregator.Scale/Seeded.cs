namespace Aggregator.Scale;

/// <summary>
/// A small deterministic random source (SplitMix64). Each agency, year and purpose gets its own stream from the seed,
/// so a report's numbers do not depend on what was generated before it, and the same seed gives the same data set on
/// any machine and runtime (System.Random's seeded algorithm is not promised to stay the same).
/// </summary>
public sealed class Seeded(ulong state)
{
    public static Seeded For(long seed, params long[] keys)
    {
        var state = (ulong)seed ^ 0x9E3779B97F4A7C15UL;
        foreach (var key in keys)
        {
            state = Mix(state ^ (ulong)key);
        }
        return new Seeded(state);
    }

    /// <summary>A stable number for a text (a division code, a purpose name), to use as a stream key.</summary>
    public static long Key(string text)
    {
        var hash = 14695981039346656037UL; // FNV-1a
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return (long)hash;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong Next()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double Uniform() => (Next() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => Uniform() < probability;

    /// <summary>Uniform integer in [from, to].</summary>
    public int Between(int from, int to) => from + (int)(Next() % (ulong)(to - from + 1));

    public double Normal()
    {
        var u1 = 1.0 - Uniform();
        var u2 = Uniform();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public double LogNormal(double mu, double sigma) => Math.Exp(mu + sigma * Normal());

    /// <summary>Pareto with minimum 1 and tail index alpha: most near 1, a few very large.</summary>
    public double Pareto(double alpha) => Math.Pow(1.0 - Uniform(), -1.0 / alpha);
}
