using Atc.Fuzz.Targets;
using Atc.Options;

namespace Atc.Fuzz.Tests;

/// <summary>A target whose behaviour the test chooses, to check the oracle and the shrinker without the compiler.</summary>
internal sealed class FakeTarget(Action<byte[]> execute) : IFuzzTarget
{
    public FuzzFormat Format => FuzzFormat.Pb;
    public string Extension => ".bin";
    public IReadOnlyList<FuzzSeed> Seeds { get; } = [new("fake", [1, 2, 3])];
    public int PreferredSeedCount => 1;
    public byte[] Mutate(byte[] input, Random rng, List<string> log) => input;
    public void Execute(byte[] input) => execute(input);
    public string? CodeOf(Exception exception) => CompileRunner.CodeOf(exception);

    public static AtcException Coded(string code) => new(new AtcDiagnostic(code, "test"));
}
