using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Broadcast;

/// <summary>Tile: input, repeats (constant int64, one per axis, ≥ 0) → dims[i] * repeats[i].</summary>
internal sealed class TileOperator() : Operator(OpTypes.Tile)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        long[] repeats = ConstantInts(context, 1, "repeats");
        if (repeats.Length != x.Rank) throw Error($"repeats {Shape.Format(repeats)} must have one value per axis of {Shape.Format(x.Dims)}");
        if (repeats.Any(r => r < 0)) throw Error($"repeats {Shape.Format(repeats)} must not be negative");
        return One(x.Type, [.. x.Dims.Select((d, i) => checked((int)(d * repeats[i])))]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        return TypeDispatch.Move(x.Type.SizeOf(), new Factory(x.Dims, outputs[0].Dims));
    }

    private readonly struct Factory(int[] input, int[] output) : IMoveKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged => new TileKernel<T>(input, output);
    }
}

/// <summary>Each output row (all axes but the last) repeats one input row; the row itself is repeated along the last axis.</summary>
internal sealed unsafe class TileKernel<T>(int[] input, int[] output) : IKernel where T : unmanaged
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (T*)args.Outputs[0];
        long count = Shape.ElementCount(output);
        if (count == 0) return;
        if (output.Length == 0) { *y = *x; return; }
        int rank = output.Length, inRow = input[^1], outRow = output[^1];
        long rows = count / outRow;
        for (long r = 0; r < rows; r++)
        {
            long rest = r, offset = 0, stride = inRow;
            for (int d = rank - 2; d >= 0; d--)
            {
                int i = (int)(rest % output[d]);
                rest /= output[d];
                offset += (i % input[d]) * stride;
                stride *= input[d];
            }
            var source = new ReadOnlySpan<T>(x + offset, inRow);
            for (int k = 0; k < outRow; k += inRow) source.CopyTo(new Span<T>(y + r * outRow + k, inRow));
        }
    }
}
