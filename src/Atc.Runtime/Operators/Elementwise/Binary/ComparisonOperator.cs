using System.Numerics;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Binary;

/// <summary>Equal, Less, LessOrEqual, Greater, GreaterOrEqual → bool. Equal also compares bools.</summary>
internal sealed class ComparisonOperator(string opType)
    : BroadcastBinaryOperator(opType, opType == OpTypes.Equal ? Numeric.NumbersAndBool : Numeric.Numbers)
{
    protected override DataType OutputType(DataType input) => DataType.Bool;

    protected override IKernel CreateKernel(OpContext context, BroadcastPlan plan, DataType type)
    {
        if (type == DataType.Bool) type = DataType.UInt8; // bools are bytes 0/1
        return OpType switch
        {
            OpTypes.Equal => TypeDispatch.Number(type, new Factory<EqualSelector>(plan)),
            OpTypes.Less => TypeDispatch.Number(type, new Factory<LessSelector>(plan)),
            OpTypes.LessOrEqual => TypeDispatch.Number(type, new Factory<LessOrEqualSelector>(plan)),
            OpTypes.Greater => TypeDispatch.Number(type, new Factory<GreaterSelector>(plan)),
            OpTypes.GreaterOrEqual => TypeDispatch.Number(type, new Factory<GreaterOrEqualSelector>(plan)),
            _ => throw Error("not a comparison op"),
        };
    }

    private interface ISelector
    {
        static abstract IKernel Make<T>(BroadcastPlan plan) where T : unmanaged, INumber<T>;
    }

    private readonly struct Factory<TSelector>(BroadcastPlan plan) : INumberKernelFactory where TSelector : ISelector
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => TSelector.Make<T>(plan);
    }

    private readonly struct EqualSelector : ISelector
    {
        public static IKernel Make<T>(BroadcastPlan p) where T : unmanaged, INumber<T> => new BinaryKernel<T, bool, ScalarLoop<EqualOp<T>, T, bool>>(p);
    }

    private readonly struct LessSelector : ISelector
    {
        public static IKernel Make<T>(BroadcastPlan p) where T : unmanaged, INumber<T> => new BinaryKernel<T, bool, ScalarLoop<LessOp<T>, T, bool>>(p);
    }

    private readonly struct LessOrEqualSelector : ISelector
    {
        public static IKernel Make<T>(BroadcastPlan p) where T : unmanaged, INumber<T> => new BinaryKernel<T, bool, ScalarLoop<LessOrEqualOp<T>, T, bool>>(p);
    }

    private readonly struct GreaterSelector : ISelector
    {
        public static IKernel Make<T>(BroadcastPlan p) where T : unmanaged, INumber<T> => new BinaryKernel<T, bool, ScalarLoop<GreaterOp<T>, T, bool>>(p);
    }

    private readonly struct GreaterOrEqualSelector : ISelector
    {
        public static IKernel Make<T>(BroadcastPlan p) where T : unmanaged, INumber<T> => new BinaryKernel<T, bool, ScalarLoop<GreaterOrEqualOp<T>, T, bool>>(p);
    }
}
