using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Atc.Runtime;

/// <summary>System.Numerics.Tensors overloads: convenient, at the cost of a copy per call.</summary>
public sealed partial class InferenceSession
{
    /// <summary>Copies a tensor (any strides) into input <paramref name="index"/>.</summary>
    public void SetInput<T>(int index, Tensor<T> tensor) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var shape = new int[tensor.Rank];
        for (int i = 0; i < shape.Length; i++)
        {
            nint length = tensor.Lengths[i];
            shape[i] = length <= int.MaxValue ? (int)length
                : throw new InferenceInputException($"axis {i} of the tensor for input {index} has {length} elements, more than a dimension may have ({int.MaxValue})", nameof(tensor));
        }
        if ((double)tensor.FlattenedLength * Unsafe.SizeOf<T>() > PinnedBufferLimit)
            throw new InferenceInputException($"the tensor for input {index} has {tensor.FlattenedLength} elements of {Unsafe.SizeOf<T>()} bytes, more than "
                + $"the {PinnedBufferLimit} bytes one input buffer can hold; {Model.Signature.DescribeAccepted()}", nameof(tensor));
        var data = new T[tensor.FlattenedLength];
        tensor.FlattenTo(data);
        SetInput<T>(index, data, shape);
    }

    private static long PinnedBufferLimit => Execution.PinnedBuffer.MaxBytes;

    /// <summary>A copy of output <paramref name="index"/> of the last run as a dense tensor.</summary>
    public Tensor<T> GetOutputTensor<T>(int index) where T : unmanaged
    {
        var data = GetOutput<T>(index).ToArray();
        var shape = GetOutputShape(index);
        var lengths = new nint[shape.Length];
        for (int i = 0; i < lengths.Length; i++) lengths[i] = shape[i];
        return Tensor.Create(data, lengths);
    }
}
