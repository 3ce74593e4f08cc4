using System.Numerics;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Binary;

/// <summary>Pow: base, exponent (may have another numeric type) → base type.</summary>
internal sealed class PowOperator() : BroadcastBinaryOperator(OpTypes.Pow, Numeric.Numbers)
{
    protected override bool SameTypes => false;

    protected override IKernel CreateKernel(OpContext context, BroadcastPlan plan, DataType type)
    {
        var exponent = context.Input(1).Type;
        if (exponent == type)
        {
            return type is DataType.Float32 or DataType.Float64
                ? TypeDispatch.Float(type, new FloatFactory(plan))
                : TypeDispatch.Number(type, new IntFactory(plan));
        }
        return TypeDispatch.Number(type, new MixedFactory(plan, exponent));
    }

    private readonly struct FloatFactory(BroadcastPlan p) : IFloatKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, IFloatingPointIeee754<T> => new BinaryKernel<T, T, PowOp<T>>(p);
    }

    private readonly struct IntFactory(BroadcastPlan p) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new BinaryKernel<T, T, ScalarLoop<IntPowOp<T>, T, T>>(p);
    }

    private readonly struct MixedFactory(BroadcastPlan p, DataType exponent) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => TypeDispatch.Number(exponent, new MixedFactory<T>(p));
    }

    private readonly struct MixedFactory<TBase>(BroadcastPlan p) : INumberKernelFactory where TBase : unmanaged, INumber<TBase>
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new MixedPowKernel<TBase, T>(p);
    }
}

/// <summary>Pow with different base and exponent types, computed in double precision (rare: ONNX type tests).</summary>
internal sealed unsafe class MixedPowKernel<TBase, TExp>(BroadcastPlan plan) : IKernel
    where TBase : unmanaged, INumber<TBase> where TExp : unmanaged, INumber<TExp>
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var a = (TBase*)args.Inputs[0];
        var b = (TExp*)args.Inputs[1];
        var output = (TBase*)args.Outputs[0];
        int inner = plan.Inner;
        long aStep = plan.InnerIsVector(0) ? 1 : 0, bStep = plan.InnerIsVector(1) ? 1 : 0;
        Span<int> index = stackalloc int[plan.OuterRank];
        Span<long> offsets = stackalloc long[2];
        plan.Seek(0, index, offsets);
        for (long row = 0; row < plan.OuterCount; row++)
        {
            for (int i = 0; i < inner; i++)
            {
                double x = double.CreateTruncating(a[offsets[0] + i * aStep]);
                double y = double.CreateTruncating(b[offsets[1] + i * bStep]);
                output[row * inner + i] = TBase.CreateSaturating(Math.Pow(x, y));
            }
            plan.Next(index, offsets);
        }
    }
}
