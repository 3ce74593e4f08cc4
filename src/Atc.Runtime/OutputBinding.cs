using System.Buffers;
using System.Numerics.Tensors;
using Atc.Runtime.Core;
using Atc.Runtime.Serving;

namespace Atc.Runtime;

/// <summary>
/// A caller-owned destination for one model output (as ONNX Runtime's pre-allocated output <c>OrtValue</c>s): the
/// kernels write the output straight into it. After the run, <see cref="Shape"/> and <see cref="ElementCount"/>
/// say what was written. The destination may be longer than the output (a buffer sized for the largest gear).
/// </summary>
public abstract class OutputBinding
{
    private protected OutputBinding(long capacity) => Capacity = capacity;

    /// <summary>Elements the destination holds.</summary>
    public long Capacity { get; }

    /// <summary>Shape of the output of the last run into this destination; empty before a run.</summary>
    public IReadOnlyList<int> Shape { get; private set; } = [];

    /// <summary>Elements the last run wrote (from the start of the destination).</summary>
    public long ElementCount { get; private set; }

    internal abstract DataType? ElementType { get; }
    internal abstract string ClrTypeName { get; }
    internal abstract MemoryHandle Pin();

    /// <summary>Checks a destination that must have exactly the output's shape (tensors), before the run.</summary>
    internal virtual string? ShapeMismatch(int[] outputShape) => null;

    internal void Written(int[] shape, long elements)
    {
        Shape = shape;
        ElementCount = elements;
    }

    /// <summary>Writes the output into caller memory (an array, a pooled buffer).</summary>
    public static OutputBinding Into<T>(Memory<T> destination) where T : unmanaged => new MemoryOutput<T>(destination);

    /// <summary>Writes the output into an array.</summary>
    public static OutputBinding Into<T>(T[] destination) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(destination);
        return new MemoryOutput<T>(destination);
    }

    /// <summary>
    /// Writes the output into a <see cref="Tensor{T}"/> in place. The tensor must be one contiguous row-major block
    /// whose lengths are the output's shape for the gear that runs.
    /// </summary>
    public static OutputBinding Into<T>(Tensor<T> destination) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!RowMajor.IsContiguous(destination.Lengths, destination.Strides))
            throw new InferenceInputException($"the destination tensor (lengths [{string.Join(",", destination.Lengths.ToArray())}], strides "
                + $"[{string.Join(",", destination.Strides.ToArray())}]) is not one contiguous row-major block; pass a tensor made by Tensor.Create or Tensor.CreateFromShape",
                nameof(destination));
        return new TensorOutput<T>(destination, RowMajor.Dims(destination.Lengths, "the destination tensor", nameof(destination)));
    }

    private sealed class MemoryOutput<T>(Memory<T> destination) : OutputBinding(destination.Length) where T : unmanaged
    {
        internal override DataType? ElementType => ElementTypes.Of<T>();
        internal override string ClrTypeName => typeof(T).Name;
        internal override MemoryHandle Pin() => destination.Pin();
    }

    private sealed class TensorOutput<T>(Tensor<T> destination, int[] dims) : OutputBinding(destination.FlattenedLength) where T : unmanaged
    {
        internal override DataType? ElementType => ElementTypes.Of<T>();
        internal override string ClrTypeName => typeof(T).Name;
        internal override MemoryHandle Pin() => destination.GetPinnedHandle();

        internal override string? ShapeMismatch(int[] outputShape)
            => dims.AsSpan().SequenceEqual(outputShape) ? null
                : $"the destination tensor has lengths {Atc.Runtime.Core.Shape.Format(dims)}; create it with the output's shape {Atc.Runtime.Core.Shape.Format(outputShape)}";
    }
}
