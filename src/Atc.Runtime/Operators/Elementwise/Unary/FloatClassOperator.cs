using System.Numerics;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Unary;

/// <summary>
/// IsNaN and IsInf: a float tensor → a bool tensor of its shape. IsInf honours detect_negative and detect_positive
/// (both 1 by default), so it can flag only one of the infinities.
/// </summary>
internal sealed class FloatClassOperator(string opType) : Operator(opType)
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Floats);
        return One(DataType.Bool, x.Dims);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        bool nan = OpType == OpTypes.IsNaN;
        bool negative = !nan && context.Attributes.GetInt("detect_negative", 1) != 0;
        bool positive = !nan && context.Attributes.GetInt("detect_positive", 1) != 0;
        return TypeDispatch.Float(context.Input(0).Type, new Factory(outputs[0].ElementCount, nan, negative, positive));
    }

    private readonly struct Factory(long count, bool nan, bool negative, bool positive) : IFloatKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, IFloatingPointIeee754<T> => new FloatClassKernel<T>(count, nan, negative, positive);
    }
}

internal sealed unsafe class FloatClassKernel<T>(long count, bool nan, bool negative, bool positive) : IKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var body = new Body(this, (T*)args.Inputs[0], (byte*)args.Outputs[0]);
        ParallelRange.For(args.Workers, count, 1, ref body);
    }

    private bool Test(T v) => nan
        ? T.IsNaN(v)
        : (negative && T.IsNegativeInfinity(v)) || (positive && T.IsPositiveInfinity(v));

    private readonly struct Body(FloatClassKernel<T> kernel, T* x, byte* y) : IRangeBody
    {
        public void Run(long start, long end)
        {
            for (long i = start; i < end; i++) y[i] = kernel.Test(x[i]) ? (byte)1 : (byte)0;
        }
    }
}
