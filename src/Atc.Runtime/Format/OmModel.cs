using Atc.Runtime.Execution;

namespace Atc.Runtime.Format;

/// <summary>
/// The decoded content of an .om file: metadata, signature, graph, and one execution plan per gear. The emitter
/// builds one and writes it; the reader validates a file and returns one.
/// </summary>
internal sealed class OmModel
{
    public const string PortableTarget = "cpu-portable";

    public required string Name { get; init; }
    public required string SourceFramework { get; init; }
    public required string SocVersion { get; init; }
    public string Target { get; init; } = PortableTarget;
    public required string ProducerVersion { get; init; }
    public required ModelGraph Graph { get; init; }
    /// <summary>Index k describes <see cref="ModelGraph.Inputs"/>[k].</summary>
    public required TensorDescriptor[] Inputs { get; init; }
    public required TensorDescriptor[] Outputs { get; init; }
    public required ModelGearKind GearKind { get; init; }
    public required ModelGear[] Gears { get; init; }
    public required InputShapeRange[] Ranges { get; init; }
    /// <summary>Index g is the plan of <see cref="Gears"/>[g].</summary>
    public required ExecutionPlan[] Plans { get; init; }
    /// <summary>Compute estimate in Kops (the header's ops field).</summary>
    public uint OpsEstimate { get; init; }

    /// <summary>Constant inputs stored in kernels' layouts, sorted by (node, key). Constants that only they need are
    /// <see cref="DroppedWeights"/> placeholders in <see cref="Graph"/>.</summary>
    public PrepackedBlob[] Prepacked { get; init; } = [];

    /// <summary>--precision_mode (or _v2) as given to the compiler; "" when none was (float32).</summary>
    public string PrecisionMode { get; init; } = "";

    /// <summary>16-bit storage for float32 weights that are exact in it (chosen by the precision mode).</summary>
    public WeightStorageType WeightStorage { get; init; } = WeightStorageType.Float32;

    public ModelSignature Signature => new(Inputs, Outputs, GearKind, Gears, Ranges);
}

/// <summary>One prepacked blob: node index, the constant input it comes from, its layout key and its bytes.</summary>
internal sealed record PrepackedBlob(int Node, int Input, string Key, ReadOnlyMemory<byte> Data);
