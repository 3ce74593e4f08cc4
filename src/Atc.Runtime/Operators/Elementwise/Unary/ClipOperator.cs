using System.Numerics;
using System.Numerics.Tensors;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Unary;

/// <summary>
/// Clip: attrs "min"/"max" (absent = unbounded). Also accepts ONNX-11 style optional inputs 1 (min) and 2 (max),
/// read at run time when they are not constants. When min &gt; max every output is max.
/// </summary>
internal sealed class ClipOperator() : Operator(OpTypes.Clip)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Numbers);
        for (int i = 1; i <= 2; i++)
        {
            if (!context.HasInput(i)) continue;
            var bound = context.Input(i);
            if (bound.Type != x.Type) throw Error($"bound input {i} has type {bound.Type.Name()}, X has {x.Type.Name()}");
            if (bound.ElementCount != 1) throw Error($"bound input {i} must be a scalar, got {Shape.Format(bound.Dims)}");
        }
        return One(x.Type, x.Dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        double min = context.Attributes.GetFloat("min", float.NegativeInfinity);
        double max = context.Attributes.GetFloat("max", float.PositiveInfinity);
        if (context.Constant(1) is { } minTensor) min = minTensor.ToDoubleArray()[0];
        if (context.Constant(2) is { } maxTensor) max = maxTensor.ToDoubleArray()[0];
        bool runtimeMin = context.HasInput(1) && context.Constant(1) is null;
        bool runtimeMax = context.HasInput(2) && context.Constant(2) is null;
        return TypeDispatch.Number(outputs[0].Type, new Factory(outputs[0].ElementCount, min, max, runtimeMin, runtimeMax));
    }

    private readonly struct Factory(long count, double min, double max, bool runtimeMin, bool runtimeMax) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> =>
            new ClipKernel<T>(count, T.CreateSaturating(min), T.CreateSaturating(max), runtimeMin, runtimeMax);
    }
}

internal sealed unsafe class ClipKernel<T>(long count, T min, T max, bool runtimeMin, bool runtimeMax) : IKernel
    where T : unmanaged, INumber<T>
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        T lo = runtimeMin ? *(T*)args.Inputs[1] : min;
        T hi = runtimeMax ? *(T*)args.Inputs[2] : max;
        var body = new Body((T*)args.Inputs[0], (T*)args.Outputs[0], lo, hi);
        ParallelRange.For(args.Workers, count, 1, ref body);
    }

    private readonly struct Body(T* x, T* y, T lo, T hi) : IRangeBody
    {
        public void Run(long start, long end)
        {
            var destination = new Span<T>(y + start, (int)(end - start));
            if (lo > hi) destination.Fill(hi);
            else TensorPrimitives.Clamp(new ReadOnlySpan<T>(x + start, destination.Length), lo, hi, destination);
        }
    }
}
