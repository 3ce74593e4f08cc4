namespace Atc.Fuzz.Mutation;

/// <summary>
/// A case's random source: derived only from (run seed, format, case index), so any case can be regenerated alone —
/// by a restarted worker, by the shrinker, or from a report line.
/// </summary>
public static class FuzzRandom
{
    public static Random ForCase(int seed, FuzzFormat format, long index)
    {
        // SplitMix64 over the three parts: neighbouring indices get unrelated streams.
        ulong x = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)format * 0xBF58476D1CE4E5B9UL ^ (ulong)index * 0x94D049BB133111EBUL;
        x ^= x >> 30; x *= 0xBF58476D1CE4E5B9UL; x ^= x >> 27; x *= 0x94D049BB133111EBUL; x ^= x >> 31;
        return new Random((int)(x & 0x7FFFFFFF));
    }

    /// <summary>Values that sit on the boundaries parsers and size computations get wrong.</summary>
    public static readonly long[] InterestingIntegers =
    [
        0, 1, -1, 2, 3, 4, 7, 8, 16, 255, 256, 1023, 1024, 65535, 65536,
        int.MaxValue, int.MaxValue + 1L, int.MinValue, uint.MaxValue, uint.MaxValue + 1L,
        1L << 30, 1L << 31, 1L << 32, 1L << 40, 1L << 62, long.MaxValue, long.MinValue, -2, -1000,
    ];

    public static long Interesting(this Random rng) => InterestingIntegers[rng.Next(InterestingIntegers.Length)];

    public static T Pick<T>(this Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];
}
