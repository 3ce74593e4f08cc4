using Atc.Fuzz.Mutation;
using Atc.Fuzz.Targets;

namespace Atc.Fuzz.Engine;

/// <summary>One generated input: which seed it started from and the mutations applied, in order.</summary>
public sealed record FuzzCase(long Index, string SeedName, byte[] Bytes, IReadOnlyList<string> Mutations)
{
    /// <summary>Case <paramref name="index"/> of run <paramref name="seed"/>: a pure function of the three, so it can be regenerated.</summary>
    public static FuzzCase Generate(IFuzzTarget target, int seed, long index)
    {
        var rng = FuzzRandom.ForCase(seed, target.Format, index);
        var seeds = target.Seeds;
        var start = rng.Next(3) == 0 || target.PreferredSeedCount == 0 ? rng.Pick(seeds) : seeds[rng.Next(target.PreferredSeedCount)];
        var bytes = start.Bytes;
        var log = new List<string>();
        for (int n = 1 + rng.Next(3); n > 0; n--) bytes = target.Mutate(bytes, rng, log);
        return new FuzzCase(index, start.Name, bytes, log);
    }
}
