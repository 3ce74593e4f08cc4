using System.Numerics;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Binary;

/// <summary>Add, Sub, Mul, Div and Mod (attr fmod: 0 = sign of divisor, 1 = sign of dividend) on every numeric type.</summary>
internal sealed class ArithmeticOperator(string opType) : BroadcastBinaryOperator(opType, Numeric.Numbers)
{
    protected override IKernel CreateKernel(OpContext context, BroadcastPlan plan, DataType type) => OpType switch
    {
        OpTypes.Add => TypeDispatch.Number(type, new AddFactory(plan)),
        OpTypes.Sub => TypeDispatch.Number(type, new SubFactory(plan)),
        OpTypes.Mul => TypeDispatch.Number(type, new MulFactory(plan)),
        OpTypes.Div => TypeDispatch.Number(type, new DivFactory(plan)),
        OpTypes.Mod => context.Attributes.GetInt("fmod", 0) != 0
            ? TypeDispatch.Number(type, new TruncModFactory(plan))
            : TypeDispatch.Number(type, new FloorModFactory(plan)),
        _ => throw Error("not an arithmetic op"),
    };

    private readonly struct AddFactory(BroadcastPlan p) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new BinaryKernel<T, T, AddOp<T>>(p);
    }

    private readonly struct SubFactory(BroadcastPlan p) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new BinaryKernel<T, T, SubOp<T>>(p);
    }

    private readonly struct MulFactory(BroadcastPlan p) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new BinaryKernel<T, T, MulOp<T>>(p);
    }

    private readonly struct DivFactory(BroadcastPlan p) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new BinaryKernel<T, T, DivOp<T>>(p);
    }

    private readonly struct FloorModFactory(BroadcastPlan p) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new BinaryKernel<T, T, ScalarLoop<FloorModOp<T>, T, T>>(p);
    }

    private readonly struct TruncModFactory(BroadcastPlan p) : INumberKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new BinaryKernel<T, T, ScalarLoop<TruncModOp<T>, T, T>>(p);
    }
}
