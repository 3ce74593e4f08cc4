using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// MaxUnpool: X [N, C, d...], I (int64, X's shape: flat indices into the output, as MaxPool's Indices output), optional
/// output_shape (int64, constant); attrs kernel_shape, strides (1), pads (0). The output is zero except Y.flat[I[i]] =
/// X.flat[i] for the shape (d - 1)·stride - pad_begin - pad_end + kernel per spatial axis; a larger output_shape
/// places that block at the start of each axis (the indices keep addressing the computed shape, as ONNX's reference).
/// </summary>
internal sealed class MaxUnpoolOperator() : Operator(OpTypes.MaxUnpool)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Numbers);
        var indices = RequireType(context, 1, DataType.Int64);
        if (x.Rank < 3) throw Error($"X must be [N, C, d...] with at least one spatial axis, got {x}");
        if (!indices.Dims.AsSpan().SequenceEqual(x.Dims)) throw Error($"I must have X's shape {Shape.Format(x.Dims)}, got {Shape.Format(indices.Dims)}");
        return One(x.Type, OutputDims(context, x));
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        return TypeDispatch.Move(outputs[0].Type.SizeOf(), new Factory(x.ElementCount, ComputedDims(context, x), outputs[0].Dims));
    }

    private int[] OutputDims(OpContext context, TensorType x)
    {
        var computed = ComputedDims(context, x);
        if (!context.HasInput(2)) return computed;
        long[] shape = ConstantInts(context, 2, "output_shape");
        if (shape.Length != x.Rank || shape.Any(d => d > int.MaxValue))
            throw Error($"output_shape [{string.Join(", ", shape)}] must have {x.Rank} dims");
        for (int d = 0; d < x.Rank; d++)
            if (shape[d] < computed[d])
                throw Error($"output_shape [{string.Join(", ", shape)}] is smaller than the unpooled shape {Shape.Format(computed)} at axis {d}");
        return [.. shape.Select(d => (int)d)];
    }

    private int[] ComputedDims(OpContext context, TensorType x)
    {
        int spatial = x.Rank - 2;
        long[] kernel = context.Attributes.GetInts("kernel_shape", []);
        if (kernel.Length != spatial) throw Error($"kernel_shape must have {spatial} values, got {kernel.Length}");
        long[] strides = context.Attributes.GetInts("strides", [.. Enumerable.Repeat(1L, spatial)]);
        long[] pads = context.Attributes.GetInts("pads", new long[2 * spatial]);
        if (strides.Length != spatial || pads.Length != 2 * spatial) throw Error($"strides must have {spatial} values and pads {2 * spatial}");
        var dims = (int[])x.Dims.Clone();
        for (int d = 0; d < spatial; d++)
        {
            long size = (x.Dims[d + 2] - 1) * strides[d] - pads[d] - pads[d + spatial] + kernel[d];
            if (size < 0 || size > int.MaxValue) throw Error($"spatial axis {d} would have size {size}; check kernel_shape, strides and pads");
            dims[d + 2] = (int)size;
        }
        return dims;
    }

    private readonly struct Factory(long inputCount, int[] computed, int[] output) : IMoveKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged => new MaxUnpoolKernel<T>(inputCount, computed, output);
    }
}

/// <summary>Scatters X into a zeroed output; an index into the computed shape is re-addressed when output_shape is larger.</summary>
internal sealed unsafe class MaxUnpoolKernel<T>(long inputCount, int[] computed, int[] output) : IKernel where T : unmanaged
{
    private readonly long _computedCount = Shape.ElementCount(computed), _outputCount = Shape.ElementCount(output);
    private readonly bool _sameShape = computed.AsSpan().SequenceEqual(output);

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var indices = (long*)args.Inputs[1];
        var y = (T*)args.Outputs[0];
        new Span<T>(y, checked((int)_outputCount)).Clear();
        for (long i = 0; i < inputCount; i++)
        {
            long index = indices[i];
            if (index < 0 || index >= _computedCount)
                throw new InferenceInputException($"{OpTypes.MaxUnpool}: I holds {index}, outside the unpooled tensor's {_computedCount} elements; pass the Indices output of the matching MaxPool");
            y[_sameShape ? index : Readdress(index)] = x[i];
        }
    }

    private long Readdress(long index)
    {
        long target = 0, stride = 1;
        for (int d = computed.Length - 1; d >= 0; d--)
        {
            target += index % computed[d] * stride;
            index /= computed[d];
            stride *= output[d];
        }
        return target;
    }
}
