using Atc.Runtime.Format.Proto;

namespace Atc.Runtime.Format;

/// <summary>
/// The one mapping between the public <see cref="ModelGearKind"/> and the .om's wire enum: written out case by case
/// so that renumbering either enum cannot silently change what a file means.
/// </summary>
internal static class OmGearKinds
{
    public static GearKind ToProto(ModelGearKind kind) => kind switch
    {
        ModelGearKind.Static => GearKind.Static,
        ModelGearKind.Batch => GearKind.Batch,
        ModelGearKind.ImageSize => GearKind.ImageSize,
        ModelGearKind.Dims => GearKind.Dims,
        ModelGearKind.Range => GearKind.Range,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a gear kind"),
    };

    /// <summary>A value the file holds; one this runtime does not know is a corrupt or newer file.</summary>
    public static ModelGearKind FromProto(GearKind kind) => kind switch
    {
        GearKind.Static => ModelGearKind.Static,
        GearKind.Batch => ModelGearKind.Batch,
        GearKind.ImageSize => ModelGearKind.ImageSize,
        GearKind.Dims => ModelGearKind.Dims,
        GearKind.Range => ModelGearKind.Range,
        _ => throw new OmFormatException($"gear kind {(int)kind} is not valid"),
    };
}
