using System.Numerics.Tensors;
using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators.Common;
using Atc.Runtime.Operators.Elementwise.Unary;

namespace Atc.Runtime.Operators.Elementwise.Softmax;

/// <summary>
/// Softmax / LogSoftmax over attr "axis" (default -1). With "legacy"=1 (ONNX opset &lt; 13) the input is viewed as
/// [prod(dims[:axis]), prod(dims[axis:])] and normalised over the second dim. float32.
/// </summary>
internal sealed class SoftmaxOperator(string opType) : Operator(opType)
{
    private bool IsLog => OpType == OpTypes.LogSoftmax;

    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Float);
        Layout(context, x);
        return One(x.Type, x.Dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var (outer, axis, inner) = Layout(context, context.Input(0));
        if (inner != 1) return new SoftmaxStridedKernel(outer, axis, inner, IsLog);
        return !IsLog && SoftmaxShortRow.Supports(KernelIsa.Current, axis)
            ? new SoftmaxShortRowsKernel(outer, axis, KernelIsa.Current)
            : new SoftmaxRowsKernel(outer, axis, IsLog);
    }

    /// <summary>The input as [outer, axis, inner] with the normalised axis in the middle.</summary>
    private (long Outer, int Axis, int Inner) Layout(OpContext context, TensorType x)
    {
        long axisAttr = context.Attributes.GetInt("axis", -1);
        bool legacy = context.Attributes.GetInt("legacy", 0) != 0;
        int rank = x.Rank;
        if (rank == 0) return (1, 1, 1);
        if (legacy)
        {
            long a = axisAttr < 0 ? axisAttr + rank : axisAttr;
            if (a < 0 || a > rank) throw Error($"axis {axisAttr} is out of range for rank {rank}");
            long rows = Shape.ElementCount(x.Dims.AsSpan(0, (int)a));
            long columns = Shape.ElementCount(x.Dims.AsSpan((int)a));
            return (rows, checked((int)columns), 1);
        }
        int axis = NormalizeAxis(axisAttr, rank);
        return (Shape.ElementCount(x.Dims.AsSpan(0, axis)), x.Dims[axis], checked((int)Shape.ElementCount(x.Dims.AsSpan(axis + 1))));
    }

    private int NormalizeAxis(long axis, int rank)
    {
        try
        {
            return Shape.NormalizeAxis(axis, rank);
        }
        catch (ShapeException e)
        {
            throw Error(e.Message);
        }
    }
}

/// <summary>Softmax over contiguous rows, each shifted by its maximum.</summary>
internal sealed unsafe class SoftmaxRowsKernel(long rows, int length, bool log) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body((float*)args.Inputs[0], (float*)args.Outputs[0], length, log);
        ParallelRange.For(args.Workers, rows, length, ref body);
    }

    private readonly struct Body(float* x, float* y, int length, bool log) : IRangeBody
    {
        public void Run(long start, long end)
        {
            Span<float> block = stackalloc float[Blocked.BlockSize];
            for (long r = start; r < end; r++)
            {
                var source = new ReadOnlySpan<float>(x + r * length, length);
                var destination = new Span<float>(y + r * length, length);
                if (length == 0) continue;
                if (!log)
                {
                    // TensorPrimitives.SoftMax does not shift by the maximum and overflows on large logits.
                    float rowMax = TensorPrimitives.Max(source);
                    TensorPrimitives.Subtract(source, rowMax, destination);
                    TensorPrimitives.Exp(destination, destination);
                    TensorPrimitives.Multiply(destination, 1f / TensorPrimitives.Sum<float>(destination), destination);
                    continue;
                }
                // log softmax = x - max - log(sum(exp(x - max))); the exp pass is summed blockwise on the stack.
                float max = TensorPrimitives.Max(source);
                double sum = 0;
                for (int i = 0; i < length; i += block.Length)
                {
                    int n = Math.Min(block.Length, length - i);
                    TensorPrimitives.Subtract(source.Slice(i, n), max, block[..n]);
                    TensorPrimitives.Exp(block[..n], block[..n]);
                    sum += TensorPrimitives.Sum<float>(block[..n]);
                }
                // (x - max) first: folding log(sum) into max would lose precision when |max| is large.
                TensorPrimitives.Subtract(source, max, destination);
                TensorPrimitives.Subtract(destination, (float)Math.Log(sum), destination);
            }
        }
    }
}

/// <summary>Softmax over short contiguous rows, each in registers (<see cref="SoftmaxShortRow"/>).</summary>
internal sealed unsafe class SoftmaxShortRowsKernel(long rows, int length, Isa isa) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        if (rows == 1)
        {
            SoftmaxShortRow.Run(isa, (float*)args.Inputs[0], (float*)args.Outputs[0], length);
            return;
        }
        var body = new Body((float*)args.Inputs[0], (float*)args.Outputs[0], length, isa);
        ParallelRange.For(args.Workers, rows, length, ref body);
    }

    private readonly struct Body(float* x, float* y, int length, Isa isa) : IRangeBody
    {
        public void Run(long start, long end)
        {
            for (long r = start; r < end; r++) SoftmaxShortRow.Run(isa, x + r * length, y + r * length, length);
        }
    }
}

/// <summary>
/// Softmax over a non-innermost axis: for each outer index, rows of length inner are combined element-wise
/// (running max, then exp and running sum, then scaling), so every pass stays contiguous. Scratch: 3 rows.
/// </summary>
internal sealed unsafe class SoftmaxStridedKernel(long outer, int axis, int inner, bool log) : IKernel
{
    public long ScratchBytes => 3L * inner * sizeof(float);

    public void Run(in KernelArgs args)
    {
        var x = (float*)args.Inputs[0];
        var y = (float*)args.Outputs[0];
        var max = new Span<float>((float*)args.Scratch, inner);
        var sum = new Span<float>((float*)args.Scratch + inner, inner);
        var exp = new Span<float>((float*)args.Scratch + 2L * inner, inner);
        long block = (long)axis * inner;
        for (long o = 0; o < outer; o++)
        {
            if (axis == 0) break;
            float* xo = x + o * block, yo = y + o * block;
            new ReadOnlySpan<float>(xo, inner).CopyTo(max);
            for (int a = 1; a < axis; a++) TensorPrimitives.Max(max, new ReadOnlySpan<float>(xo + (long)a * inner, inner), max);
            sum.Clear();
            for (int a = 0; a < axis; a++)
            {
                var row = new Span<float>(yo + (long)a * inner, inner);
                TensorPrimitives.Subtract(new ReadOnlySpan<float>(xo + (long)a * inner, inner), max, row);
                if (log)
                {
                    // y keeps x - max; the exponentials only feed the sum.
                    TensorPrimitives.Exp(row, exp);
                    TensorPrimitives.Add(sum, exp, sum);
                }
                else
                {
                    TensorPrimitives.Exp(row, row);
                    TensorPrimitives.Add(sum, row, sum);
                }
            }
            if (log)
            {
                TensorPrimitives.Log(sum, sum);
                for (int a = 0; a < axis; a++)
                {
                    var row = new Span<float>(yo + (long)a * inner, inner);
                    TensorPrimitives.Subtract(row, sum, row);
                }
            }
            else
            {
                TensorPrimitives.Reciprocal(sum, sum);
                for (int a = 0; a < axis; a++)
                {
                    var row = new Span<float>(yo + (long)a * inner, inner);
                    TensorPrimitives.Multiply(row, sum, row);
                }
            }
        }
    }
}
