using Atc.Options;

namespace Atc.Compiler.Shapes;

/// <summary>One gear: a concrete shape for every graph input, by input name, and the values that select it
/// (the batch size, the "h,w" pair or the dims), which name the gear in messages and generated code.</summary>
public sealed record Gear(IReadOnlyDictionary<string, int[]> InputShapes, int[] Selector)
{
    public string Describe() => string.Join(";", InputShapes.Select(kv => kv.Key + ":" + string.Join(",", kv.Value)));
}

/// <summary>Bounds of one input for a range profile: per axis, min and max (inclusive; max -1 = unbounded).</summary>
public sealed record InputRange(string InputName, int[] Min, int[] Max);

/// <summary>
/// The shape profiles a model is compiled for. Static and gear kinds list concrete gears; a range profile keeps the
/// bounds and lists the gears planned ahead of time (the min and max shapes), others being planned on first use.
/// </summary>
public sealed record GearSet(GearKind Kind, IReadOnlyList<Gear> Gears, IReadOnlyList<InputRange> Ranges)
{
    public static GearSet Static(Gear gear) => new(GearKind.Static, [gear], []);
}
