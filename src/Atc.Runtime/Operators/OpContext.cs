using Atc.Runtime.Core;

namespace Atc.Runtime.Operators;

/// <summary>A concrete tensor type: element type and dims (all known).</summary>
internal sealed record TensorType(DataType Type, int[] Dims)
{
    public int Rank => Dims.Length;
    public long ElementCount => Shape.ElementCount(Dims);
    public long ByteCount => ElementCount * Type.SizeOf();
    public override string ToString() => $"{Type.Name()}{Shape.Format(Dims)}";
    public bool Equals(TensorType? other) => other is not null && Type == other.Type && Dims.AsSpan().SequenceEqual(other.Dims);
    public override int GetHashCode() => HashCode.Combine(Type, Dims.Length);
}

/// <summary>
/// What an operator sees of one node once a gear fixes every shape: attributes, the concrete input types, and the
/// values of inputs known at compile time (weights and everything folded from shapes). Used both for shape inference
/// and for kernel setup, at compile time and at load time.
/// </summary>
internal sealed class OpContext(string nodeName, string opType, OpAttributes attributes,
    IReadOnlyList<TensorType?> inputs, IReadOnlyList<TensorData?> constantInputs, int outputCount)
{
    public string NodeName { get; } = nodeName;
    public string OpType { get; } = opType;
    public OpAttributes Attributes { get; } = attributes;
    /// <summary>Input types; null where an optional input is omitted.</summary>
    public IReadOnlyList<TensorType?> Inputs { get; } = inputs;
    /// <summary>Values of inputs that are constant; null where the value is only known at run time.</summary>
    public IReadOnlyList<TensorData?> ConstantInputs { get; } = constantInputs;
    public int OutputCount { get; } = outputCount;
    /// <summary>Prepacked forms of this node's constant inputs (see <see cref="IPrepackedWeights"/>), or null.</summary>
    public IPrepackedWeights? Prepacked { get; init; }
    /// <summary>Where kernels keep weights they derive at load, shared by every gear of the model; null at compile time.</summary>
    internal Execution.NodeDerivedWeights? Derived { get; init; }

    public int InputCount => Inputs.Count;
    public bool HasInput(int i) => i < Inputs.Count && Inputs[i] is not null;

    public TensorType Input(int i) => HasInput(i)
        ? Inputs[i]!
        : throw new ShapeException($"input {i} is required");

    public TensorData? Constant(int i) => i < ConstantInputs.Count ? ConstantInputs[i] : null;

    /// <summary>A blob the compiler stored for this node under <paramref name="key"/> (address and byte length).</summary>
    public bool TryGetPrepacked(string key, out nint pointer, out long byteLength)
    {
        pointer = 0;
        byteLength = 0;
        return Prepacked is { } p && p.TryGet(key, out pointer, out byteLength);
    }

    /// <summary>An input whose value must be known at compile time (a Reshape's shape, a Slice's starts, ...).</summary>
    /// <remarks>A present input whose value is computed at run time is <see cref="DataDependentShapeException"/>: the
    /// planner then runs the node in the dynamic region, where the value is read before the kernel is made.</remarks>
    public TensorData RequireConstant(int i, string what) => Constant(i)
        ?? (HasInput(i)
            ? throw new DataDependentShapeException($"{what} (input {i}) is computed at run time")
            : throw new ShapeException($"{what} (input {i}) is required"));
}
