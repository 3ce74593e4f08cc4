using Atc.Options;
using Atc.Runtime;

namespace Atc.Compiler.Emit;

/// <summary>
/// The one mapping between the shared <see cref="GearKind"/> (options, compiler, manifest, generator) and the
/// runtime's public <see cref="ModelGearKind"/>: listed pair by pair, never an int cast.
/// </summary>
public static class GearKinds
{
    private static readonly (GearKind Shared, ModelGearKind Model)[] Pairs =
    [
        (GearKind.Static, ModelGearKind.Static),
        (GearKind.Batch, ModelGearKind.Batch),
        (GearKind.ImageSize, ModelGearKind.ImageSize),
        (GearKind.Dims, ModelGearKind.Dims),
        (GearKind.Range, ModelGearKind.Range),
    ];

    public static ModelGearKind ToModel(GearKind kind)
    {
        foreach (var (shared, model) in Pairs)
            if (shared == kind) return model;
        throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a gear kind");
    }

    public static GearKind FromModel(ModelGearKind kind)
    {
        foreach (var (shared, model) in Pairs)
            if (model == kind) return shared;
        throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a gear kind");
    }
}
