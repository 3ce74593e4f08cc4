using System.Numerics;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Reduction;

/// <summary>
/// CumSum: x, axis (int32/int64 scalar, constant); attrs exclusive (0: include the element itself; 1: sum of the
/// elements before it), reverse (0: from the start of the axis; 1: from its end).
/// </summary>
internal sealed class CumSumOperator() : Operator(OpTypes.CumSum)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Numbers);
        _ = Axis(context, x.Rank);
        return One(x.Type, x.Dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        var layout = AxisLayout.Around(x.Dims, Axis(context, x.Rank));
        bool exclusive = context.Attributes.GetInt("exclusive", 0) != 0;
        bool reverse = context.Attributes.GetInt("reverse", 0) != 0;
        return TypeDispatch.Number(x.Type, new Factory(layout, exclusive, reverse));
    }

    private int Axis(OpContext context, int rank)
    {
        if (rank == 0) throw Error("x must have rank ≥ 1");
        long[] axis = ConstantInts(context, 1, "axis");
        if (axis.Length != 1) throw Error($"axis must be a scalar, got {axis.Length} values");
        return AxisLayout.Resolve(axis[0], rank) ?? throw Error($"axis {axis[0]} is out of range for rank {rank}");
    }

    private readonly struct Factory(AxisLayout layout, bool exclusive, bool reverse) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new CumSumKernel<T>(layout, exclusive, reverse);
    }
}

/// <summary>Runs one running sum per (outer, inner) line; y may alias x since each element is read before it is written.</summary>
internal sealed unsafe class CumSumKernel<T>(AxisLayout layout, bool exclusive, bool reverse) : IKernel where T : unmanaged, INumber<T>
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (T*)args.Outputs[0];
        long step = reverse ? -layout.Inner : layout.Inner;
        for (long o = 0; o < layout.Outer; o++)
        {
            for (long i = 0; i < layout.Inner; i++)
            {
                long offset = o * layout.Length * layout.Inner + i + (reverse ? (layout.Length - 1) * layout.Inner : 0);
                T sum = T.Zero;
                for (int r = 0; r < layout.Length; r++, offset += step)
                {
                    T v = x[offset];
                    if (exclusive) { y[offset] = sum; sum += v; }
                    else { sum += v; y[offset] = sum; }
                }
            }
        }
    }
}
