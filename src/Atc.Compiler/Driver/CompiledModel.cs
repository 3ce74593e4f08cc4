using Atc.Compiler.Shapes;
using Atc.Runtime;
using Atc.Runtime.Format;

namespace Atc.Compiler.Driver;

/// <summary>
/// What the compiler produced, as an object: the runtime's signature, the gears, the memory plan (arena per gear,
/// weights) and the .om bytes. The CLI writes the build manifest and --mode=1's JSON from it, so nothing is imported
/// or read back a second time.
/// </summary>
public sealed class CompiledModel
{
    internal CompiledModel(string name, string socVersion, ModelSignature signature, GearSet gears, IReadOnlyList<long> arenaBytes,
        long weightBytes, int prepackedBlobCount, byte[] omBytes, OmModel? content)
    {
        Name = name;
        SocVersion = socVersion;
        Signature = signature;
        Gears = gears;
        ArenaBytes = arenaBytes;
        WeightBytes = weightBytes;
        PrepackedBlobCount = prepackedBlobCount;
        OmBytes = omBytes;
        Content = content;
    }

    /// <summary>The model name recorded in the .om header.</summary>
    public string Name { get; }

    /// <summary>--soc_version as recorded in the .om.</summary>
    public string SocVersion { get; }

    /// <summary>Inputs, outputs and gears exactly as the runtime will see them after loading <see cref="OmBytes"/>.</summary>
    public ModelSignature Signature { get; }

    /// <summary>The gears as the shape options produced them.</summary>
    public GearSet Gears { get; }

    /// <summary>Index g: the arena bytes planned for <see cref="ModelSignature.Gears"/>[g].</summary>
    public IReadOnlyList<long> ArenaBytes { get; }

    /// <summary>Bytes of the raw constants stored in the .om (constants kept only prepacked count 0).</summary>
    public long WeightBytes { get; }

    /// <summary>How many weight blobs are stored in kernel layouts.</summary>
    public int PrepackedBlobCount { get; }

    /// <summary>The .om file's bytes.</summary>
    public byte[] OmBytes { get; }

    /// <summary>The decoded model the bytes were written from (null for a model that did not come from the emitter).</summary>
    internal OmModel? Content { get; }

    /// <summary>Summarises an emitted model and the bytes written from it.</summary>
    internal static CompiledModel From(OmModel model, GearSet gears, byte[] omBytes) => new(
        model.Name, model.SocVersion, model.Signature, gears,
        model.Plans.Select(plan => plan.ArenaSize).ToArray(),
        model.Graph.Constants.Sum(constant => (long)(constant?.Bytes.Length ?? 0)),
        model.Prepacked.Length, omBytes, model);
}
