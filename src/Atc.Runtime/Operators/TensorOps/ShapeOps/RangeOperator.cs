using System.Numerics;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.ShapeOps;

/// <summary>
/// Range: start, limit, delta (scalars of one type; constant, since they set the output length) →
/// [max(ceil((limit - start) / delta), 0)] with output[i] = start + i * delta.
/// </summary>
internal sealed class RangeOperator() : Operator(OpTypes.Range)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var start = RequireType(context, 0, Numeric.Numbers);
        RequireSameType(context, 0, 3);
        var values = new double[3];
        string[] names = ["start", "limit", "delta"];
        for (int i = 0; i < 3; i++)
        {
            var t = context.RequireConstant(i, $"Range {names[i]}");
            if (t.ElementCount != 1) throw Error($"{names[i]} must be a scalar, got {Shape.Format(t.Dims)}");
            values[i] = t.ToDoubleArray()[0];
        }
        if (values[2] == 0) throw Error("delta must not be 0");
        double n = Math.Max(Math.Ceiling((values[1] - values[0]) / values[2]), 0);
        if (n > int.MaxValue) throw Error($"range from {values[0]} to {values[1]} by {values[2]} has too many elements ({n})");
        return One(start.Type, [(int)n]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs) =>
        TypeDispatch.Number(outputs[0].Type, new Factory(outputs[0].ElementCount));

    private readonly struct Factory(long count) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new RangeKernel<T>(count);
    }
}

internal sealed unsafe class RangeKernel<T>(long count) : IKernel where T : unmanaged, INumber<T>
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        T start = *(T*)args.Inputs[0], delta = *(T*)args.Inputs[2];
        var y = (T*)args.Outputs[0];
        // start + i * delta rather than a running sum, so float ranges do not drift.
        for (long i = 0; i < count; i++) y[i] = start + T.CreateTruncating(i) * delta;
    }
}
