using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Generate;

/// <summary>
/// Trilu: input (rank ≥ 2, batches of matrices over the last two axes), optional k (int64 scalar, constant;
/// default 0); attr upper (1). Keeps element (i, j) when upper ? j - i ≥ k : j - i ≤ k and zeroes the rest.
/// </summary>
internal sealed class TriluOperator() : Operator(OpTypes.Trilu)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        if (x.Rank < 2) throw Error($"input must have rank ≥ 2 (batches of matrices), got {Shape.Format(x.Dims)}");
        _ = Diagonal(context);
        return One(x.Type, x.Dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        return new TriluKernel(Shape.ElementCount(x.Dims.AsSpan(0, x.Rank - 2)), x.Dims[^2], x.Dims[^1], x.Type.SizeOf(),
            Diagonal(context), context.Attributes.GetInt("upper", 1) != 0);
    }

    private long Diagonal(OpContext context)
    {
        if (!context.HasInput(1)) return 0;
        long[] k = ConstantInts(context, 1, "k");
        return k.Length == 1 ? k[0] : throw Error($"k must be a scalar, got {k.Length} values");
    }
}

/// <summary>Per matrix row, copies the kept run of columns and zeroes the others (zero bytes are zero in every type).</summary>
internal sealed unsafe class TriluKernel(long matrices, int rows, int columns, int elementSize, long k, bool upper) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (byte*)args.Inputs[0];
        var y = (byte*)args.Outputs[0];
        long rowBytes = (long)columns * elementSize;
        for (long row = 0; row < matrices * rows; row++)
        {
            long i = row % rows;
            // Kept columns [first, last): upper keeps j ≥ i + k, lower keeps j ≤ i + k.
            long first = upper ? Math.Clamp(i + k, 0, columns) : 0;
            long last = upper ? columns : Math.Clamp(i + k + 1, 0, columns);
            byte* source = x + row * rowBytes;
            byte* destination = y + row * rowBytes;
            new Span<byte>(destination, (int)(first * elementSize)).Clear();
            if (last > first && source != destination)
                Buffer.MemoryCopy(source + first * elementSize, destination + first * elementSize, (last - first) * elementSize, (last - first) * elementSize);
            new Span<byte>(destination + last * elementSize, (int)((columns - last) * elementSize)).Clear();
        }
    }
}
