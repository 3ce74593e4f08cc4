using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.DataDependent;

/// <summary>
/// Compress: input, condition (bool, 1-D); attr axis (optional). Keeps the slices along axis (or the elements of the
/// flattened input, without axis) whose condition is true; a condition shorter than the axis drops the rest.
/// Bound: the axis length (or the element count).
/// </summary>
internal sealed class CompressOperator() : DataDependentOperator(OpTypes.Compress)
{
    public override TensorType[] InferBounds(OpContext context, out bool[][] dataDependentDims)
    {
        var x = RequireType(context, 0, Numeric.Any);
        var condition = RequireType(context, 1, DataType.Bool);
        if (condition.Rank != 1) throw Error($"condition must be 1-D, got {Shape.Format(condition.Dims)}");
        if (Axis(context, x) is not { } axis)
        {
            dataDependentDims = [[true]];
            return [new TensorType(x.Type, [(int)x.ElementCount])];
        }
        if (condition.Dims[0] > x.Dims[axis])
            throw Error($"condition has {condition.Dims[0]} elements, more than axis {axis} of {Shape.Format(x.Dims)}");
        dataDependentDims = [[.. x.Dims.Select((_, i) => i == axis)]];
        return [new TensorType(x.Type, [.. x.Dims])];
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        int? axis = Axis(context, x);
        int[] dims = axis is null ? [(int)x.ElementCount] : x.Dims;
        int a = axis ?? 0;
        long outer = Shape.ElementCount(dims.AsSpan(0, a)), inner = Shape.ElementCount(dims.AsSpan(a + 1));
        return new CompressKernel(dims, a, outer, inner * x.Type.SizeOf(), context.Input(1).Dims[0]);
    }

    private int? Axis(OpContext context, TensorType x)
    {
        if (!context.Attributes.Has("axis")) return null;
        long value = context.Attributes.GetInt("axis", 0);
        return Reduction.AxisLayout.Resolve(value, x.Rank) ?? throw Error($"axis {value} is out of range for rank {x.Rank}");
    }
}

internal sealed unsafe class CompressKernel(int[] dims, int axis, long outer, long sliceBytes, int conditionLength) : DataDependentKernel
{
    public override void Run(in KernelArgs args, int[][] actualDims)
    {
        byte* x = (byte*)args.Inputs[0], y = (byte*)args.Outputs[0];
        bool* condition = (bool*)args.Inputs[1];
        int length = Math.Min(conditionLength, dims[axis]);
        int kept = 0;
        for (int i = 0; i < length; i++) if (condition[i]) kept++;
        long inBlock = dims[axis] * sliceBytes, outBlock = kept * sliceBytes;
        for (long o = 0; o < outer; o++)
        {
            byte* target = y + o * outBlock;
            for (int i = 0; i < length; i++)
            {
                if (!condition[i]) continue;
                Buffer.MemoryCopy(x + o * inBlock + i * sliceBytes, target, sliceBytes, sliceBytes);
                target += sliceBytes;
            }
        }
        int[] actual = [.. dims];
        actual[axis] = kept;
        actualDims[0] = actual;
    }
}
