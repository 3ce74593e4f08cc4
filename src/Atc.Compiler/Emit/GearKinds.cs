using Atc.Options;
using Atc.Runtime;

namespace Atc.Compiler.Emit;

/// <summary>
/// The one mapping between the shared <see cref="GearKind"/> (options, compiler, manifest, generator) and the
/// runtime's public <see cref="ModelGearKind"/>: case by case, never an int cast.
/// </summary>
public static class GearKinds
{
    public static ModelGearKind ToModel(GearKind kind) => kind switch
    {
        GearKind.Static => ModelGearKind.Static,
        GearKind.Batch => ModelGearKind.Batch,
        GearKind.ImageSize => ModelGearKind.ImageSize,
        GearKind.Dims => ModelGearKind.Dims,
        GearKind.Range => ModelGearKind.Range,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a gear kind"),
    };

    public static GearKind FromModel(ModelGearKind kind) => kind switch
    {
        ModelGearKind.Static => GearKind.Static,
        ModelGearKind.Batch => GearKind.Batch,
        ModelGearKind.ImageSize => GearKind.ImageSize,
        ModelGearKind.Dims => GearKind.Dims,
        ModelGearKind.Range => GearKind.Range,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a gear kind"),
    };
}
