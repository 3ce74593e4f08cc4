using System.Buffers;
using System.Numerics.Tensors;
using Atc.Runtime.Core;
using Atc.Runtime.Serving;

namespace Atc.Runtime;

/// <summary>
/// One input of a run on the thread-safe model API (<see cref="InferenceModel.Run(IReadOnlyList{InputBinding}, IReadOnlyList{OutputBinding}, CancellationToken)"/>):
/// the caller's memory and its shape. The kernels read the memory in place (no copy) while the run lasts; do not
/// change it until the run has returned or its task completed.
/// </summary>
public abstract class InputBinding
{
    private protected InputBinding(int[] shape, long elementCount)
    {
        Shape = shape;
        ElementCount = elementCount;
    }

    /// <summary>The shape the data is given in (row-major).</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Elements the caller's memory holds.</summary>
    public long ElementCount { get; }

    internal abstract DataType? ElementType { get; }
    internal abstract string ClrTypeName { get; }

    /// <summary>Pins the memory for one run; the handle's pointer is what the kernels read.</summary>
    internal abstract MemoryHandle Pin();

    internal int[] ShapeArray => (int[])Shape;

    /// <summary>Input data in caller memory (an array, a pooled buffer, native memory): read in place.</summary>
    public static InputBinding From<T>(ReadOnlyMemory<T> data, params int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        return new MemoryInput<T>(data, [.. shape]);
    }

    /// <summary>Input data from an array: read in place.</summary>
    public static InputBinding From<T>(T[] data, params int[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        return From(new ReadOnlyMemory<T>(data), shape);
    }

    /// <summary>
    /// A <see cref="Tensor{T}"/>: read in place when it is one contiguous row-major block (any tensor made by
    /// <c>Tensor.Create</c> or <c>Tensor.CreateFromShape</c>), copied once otherwise (a slice, a transposed view).
    /// </summary>
    public static InputBinding From<T>(Tensor<T> tensor) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var dims = RowMajor.Dims(tensor.Lengths, "the input tensor", nameof(tensor));
        if (RowMajor.IsContiguous(tensor.Lengths, tensor.Strides)) return new TensorInput<T>(tensor, dims);
        var copy = new T[tensor.FlattenedLength];
        tensor.FlattenTo(copy);
        return new MemoryInput<T>(copy, dims);
    }

    /// <summary>A <see cref="TensorData"/> value (its bytes are read in place).</summary>
    public static InputBinding From(TensorData tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return new TensorDataInput(tensor);
    }

    private sealed class MemoryInput<T>(ReadOnlyMemory<T> data, int[] shape) : InputBinding(shape, data.Length) where T : unmanaged
    {
        internal override DataType? ElementType => ElementTypes.Of<T>();
        internal override string ClrTypeName => typeof(T).Name;
        internal override MemoryHandle Pin() => data.Pin();
    }

    private sealed class TensorInput<T>(Tensor<T> tensor, int[] shape) : InputBinding(shape, tensor.FlattenedLength) where T : unmanaged
    {
        internal override DataType? ElementType => ElementTypes.Of<T>();
        internal override string ClrTypeName => typeof(T).Name;
        internal override MemoryHandle Pin() => tensor.GetPinnedHandle();
    }

    private sealed class TensorDataInput(TensorData tensor) : InputBinding(tensor.Dims, tensor.ElementCount)
    {
        internal override DataType? ElementType => tensor.Type;
        internal override string ClrTypeName => tensor.Type.Name();
        internal override MemoryHandle Pin() => tensor.Bytes.Pin();
    }
}

