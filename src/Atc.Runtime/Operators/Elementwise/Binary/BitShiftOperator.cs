using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Binary;

/// <summary>
/// BitShift on unsigned integers: X, Y broadcast; attr direction "LEFT" or "RIGHT". Shifts of the element width or
/// more give 0, as numpy and ONNX Runtime do. uint8 shifts as itself; int32 and int64 hold ONNX's uint16/uint32 and
/// uint64 (their compute types) and shift as uint/ulong bits: a left shift past the stored width is cut off by the
/// Cast back to the stored type, a right shift of a value that fits the stored width never sees the extra bits.
/// </summary>
internal sealed class BitShiftOperator() : BroadcastBinaryOperator(OpTypes.BitShift, [DataType.UInt8, DataType.Int32, DataType.Int64])
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        _ = Left(context);
        return base.InferOutputs(context);
    }

    protected override IKernel CreateKernel(OpContext context, BroadcastPlan plan, DataType type) => (type, Left(context)) switch
    {
        (DataType.Int32, true) => new BinaryKernel<int, int, ScalarLoop<ShiftLeft32Op, int, int>>(plan),
        (DataType.Int32, false) => new BinaryKernel<int, int, ScalarLoop<ShiftRight32Op, int, int>>(plan),
        (DataType.Int64, true) => new BinaryKernel<long, long, ScalarLoop<ShiftLeft64Op, long, long>>(plan),
        (DataType.Int64, false) => new BinaryKernel<long, long, ScalarLoop<ShiftRight64Op, long, long>>(plan),
        (_, true) => new BinaryKernel<byte, byte, ScalarLoop<ShiftLeftOp, byte, byte>>(plan),
        _ => new BinaryKernel<byte, byte, ScalarLoop<ShiftRightOp, byte, byte>>(plan),
    };

    private bool Left(OpContext context) => context.Attributes.GetString("direction", "") switch
    {
        "LEFT" => true,
        "RIGHT" => false,
        var d => throw Error($"attribute direction must be \"LEFT\" or \"RIGHT\", got \"{d}\""),
    };

    private readonly struct ShiftLeftOp : IScalarBinaryOp<byte, byte>
    {
        public static byte Apply(byte a, byte b) => b >= 8 ? (byte)0 : (byte)(a << b);
    }

    private readonly struct ShiftRightOp : IScalarBinaryOp<byte, byte>
    {
        public static byte Apply(byte a, byte b) => b >= 8 ? (byte)0 : (byte)(a >> b);
    }

    private readonly struct ShiftLeft32Op : IScalarBinaryOp<int, int>
    {
        public static int Apply(int a, int b) => (uint)b >= 32 ? 0 : (int)((uint)a << b);
    }

    private readonly struct ShiftRight32Op : IScalarBinaryOp<int, int>
    {
        public static int Apply(int a, int b) => (uint)b >= 32 ? 0 : (int)((uint)a >> b);
    }

    private readonly struct ShiftLeft64Op : IScalarBinaryOp<long, long>
    {
        public static long Apply(long a, long b) => (ulong)b >= 64 ? 0 : (long)((ulong)a << (int)b);
    }

    private readonly struct ShiftRight64Op : IScalarBinaryOp<long, long>
    {
        public static long Apply(long a, long b) => (ulong)b >= 64 ? 0 : (long)((ulong)a >> (int)b);
    }
}
