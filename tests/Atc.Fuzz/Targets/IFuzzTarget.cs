using Google.Protobuf;

namespace Atc.Fuzz.Targets;

/// <summary>A valid input to mutate from.</summary>
public sealed record FuzzSeed(string Name, byte[] Bytes);

/// <summary>One format's fuzz target: its seeds, how to mutate them, and the real entry point that consumes the bytes.</summary>
public interface IFuzzTarget
{
    FuzzFormat Format { get; }

    /// <summary>The file extension regression files of this format get (".pb", ".onnx", ".om", ".txt").</summary>
    string Extension { get; }

    /// <summary>Seeds, the preferred ones (built by this repository's model builders) first.</summary>
    IReadOnlyList<FuzzSeed> Seeds { get; }

    /// <summary>How many of <see cref="Seeds"/> are preferred: a third of the cases start from them.</summary>
    int PreferredSeedCount { get; }

    /// <summary>One mutation of <paramref name="input"/> (byte level or field level), described in <paramref name="log"/>.</summary>
    byte[] Mutate(byte[] input, Random rng, List<string> log);

    /// <summary>Runs the bytes through the project's real entry point; throws whatever it throws.</summary>
    void Execute(byte[] input);

    /// <summary>The catalog code of an exception this entry point is allowed to throw for bad input, else null (a crash).</summary>
    string? CodeOf(Exception exception);

    /// <summary>What a shrinking candidate becomes before it runs (.om: re-sealed); identity elsewhere.</summary>
    byte[] Normalize(byte[] candidate) => candidate;

    /// <summary>The message type for field-level shrinking, or null when only bytes are shrunk.</summary>
    MessageParser? Parser => null;

    /// <summary>Whether ddmin over raw bytes may follow the structural pass (not for .om: any cut breaks the partition table).</summary>
    bool ShrinkBytes => true;

    /// <summary>Shrinks the input's structure (default: the <see cref="Parser"/> message); returns the smallest failing input.</summary>
    byte[] ShrinkStructure(byte[] input, Func<byte[], bool> stillFails, Action<byte[]> improved, Shrinking.CheckBudget budget)
        => Parser != null && Shrinking.Shrinker.TryParse(Parser, input) is { } message
            ? Shrinking.Shrinker.ShrinkMessage(message, stillFails, improved, budget) ?? input
            : input;
}
