using System.Numerics;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Reduction;

/// <summary>
/// ReduceMean/Sum/Max/Min/Prod/SumSquare/L1/L2/LogSumExp: attrs "axes" (empty = all; also accepted as constant
/// input 1, ONNX-13/18 style), keepdims (1), noop_with_empty_axes (0).
/// </summary>
internal sealed class ReduceOperator(string opType) : Operator(opType)
{
    private bool FloatOnly => OpType is OpTypes.ReduceL2 or OpTypes.ReduceLogSumExp;

    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, FloatOnly ? Numeric.Floats : Numeric.Numbers);
        var reduced = ReducedAxes(context, x.Rank);
        bool keep = context.Attributes.GetInt("keepdims", 1) != 0;
        var dims = new List<int>();
        for (int d = 0; d < x.Rank; d++)
        {
            if (!reduced[d]) dims.Add(x.Dims[d]);
            else if (keep) dims.Add(1);
        }
        return One(x.Type, [.. dims]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        var layout = ReductionLayout.Create(x.Dims, ReducedAxes(context, x.Rank));
        return OpType switch
        {
            OpTypes.ReduceSum => TypeDispatch.Number(x.Type, new Factory<SumSelector>(layout)),
            OpTypes.ReduceMean => TypeDispatch.Number(x.Type, new Factory<MeanSelector>(layout)),
            OpTypes.ReduceMax => TypeDispatch.Number(x.Type, new Factory<MaxSelector>(layout)),
            OpTypes.ReduceMin => TypeDispatch.Number(x.Type, new Factory<MinSelector>(layout)),
            OpTypes.ReduceProd => TypeDispatch.Number(x.Type, new Factory<ProdSelector>(layout)),
            OpTypes.ReduceSumSquare => TypeDispatch.Number(x.Type, new Factory<SumSquareSelector>(layout)),
            OpTypes.ReduceL1 => TypeDispatch.Number(x.Type, new Factory<L1Selector>(layout)),
            OpTypes.ReduceL2 => TypeDispatch.Float(x.Type, new FloatFactory<L2Selector>(layout)),
            OpTypes.ReduceLogSumExp => TypeDispatch.Float(x.Type, new FloatFactory<LogSumExpSelector>(layout)),
            _ => throw Error("not a reduction"),
        };
    }

    /// <summary>Which axes are reduced; throws naming an out-of-range or repeated axis.</summary>
    private bool[] ReducedAxes(OpContext context, int rank)
    {
        long[] axes = context.HasInput(1) ? ConstantInts(context, 1, "axes") : context.Attributes.GetInts("axes", []);
        var reduced = new bool[rank];
        if (axes.Length == 0)
        {
            bool noop = context.Attributes.GetInt("noop_with_empty_axes", 0) != 0;
            if (!noop) Array.Fill(reduced, true);
            return reduced;
        }
        foreach (long axis in axes)
        {
            long a = axis < 0 ? axis + rank : axis;
            if (a < 0 || a >= rank) throw Error($"axis {axis} is out of range for rank {rank}");
            if (reduced[a]) throw Error($"axis {axis} is listed twice in axes {Shape.Format(axes)}");
            reduced[a] = true;
        }
        return reduced;
    }

    private interface ISelector
    {
        static abstract IKernel Make<T>(ReductionLayout layout) where T : unmanaged, INumber<T>;
    }

    private interface IFloatSelector
    {
        static abstract IKernel Make<T>(ReductionLayout layout) where T : unmanaged, IFloatingPointIeee754<T>;
    }

    private readonly struct Factory<TSelector>(ReductionLayout layout) : INumberKernelFactory where TSelector : ISelector
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => TSelector.Make<T>(layout);
    }

    private readonly struct FloatFactory<TSelector>(ReductionLayout layout) : IFloatKernelFactory where TSelector : IFloatSelector
    {
        public IKernel Create<T>() where T : unmanaged, IFloatingPointIeee754<T> => TSelector.Make<T>(layout);
    }

    private readonly struct SumSelector : ISelector
    {
        public static IKernel Make<T>(ReductionLayout l) where T : unmanaged, INumber<T> => new ReduceKernel<T, SumReduce<T>>(l);
    }

    private readonly struct MeanSelector : ISelector
    {
        public static IKernel Make<T>(ReductionLayout l) where T : unmanaged, INumber<T> => new ReduceKernel<T, MeanReduce<T>>(l);
    }

    private readonly struct MaxSelector : ISelector
    {
        public static IKernel Make<T>(ReductionLayout l) where T : unmanaged, INumber<T> => new ReduceKernel<T, MaxReduce<T>>(l);
    }

    private readonly struct MinSelector : ISelector
    {
        public static IKernel Make<T>(ReductionLayout l) where T : unmanaged, INumber<T> => new ReduceKernel<T, MinReduce<T>>(l);
    }

    private readonly struct ProdSelector : ISelector
    {
        public static IKernel Make<T>(ReductionLayout l) where T : unmanaged, INumber<T> => new ReduceKernel<T, ProdReduce<T>>(l);
    }

    private readonly struct SumSquareSelector : ISelector
    {
        public static IKernel Make<T>(ReductionLayout l) where T : unmanaged, INumber<T> => new ReduceKernel<T, SumSquareReduce<T>>(l);
    }

    private readonly struct L1Selector : ISelector
    {
        public static IKernel Make<T>(ReductionLayout l) where T : unmanaged, INumber<T> => new ReduceKernel<T, L1Reduce<T>>(l);
    }

    private readonly struct L2Selector : IFloatSelector
    {
        public static IKernel Make<T>(ReductionLayout l) where T : unmanaged, IFloatingPointIeee754<T> => new ReduceKernel<T, L2Reduce<T>>(l);
    }

    private readonly struct LogSumExpSelector : IFloatSelector
    {
        public static IKernel Make<T>(ReductionLayout l) where T : unmanaged, IFloatingPointIeee754<T> => new ReduceKernel<T, LogSumExpReduce<T>>(l);
    }
}
