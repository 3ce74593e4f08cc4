using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Binary;

/// <summary>
/// BitShift on unsigned integers (uint8, the only unsigned type of the runtime): X, Y broadcast; attr direction
/// "LEFT" or "RIGHT". Shifts of the element width or more give 0, as numpy and ONNX Runtime do.
/// </summary>
internal sealed class BitShiftOperator() : BroadcastBinaryOperator(OpTypes.BitShift, [DataType.UInt8])
{
    public override TensorType[] InferOutputs(OpContext context)
    {
        _ = Left(context);
        return base.InferOutputs(context);
    }

    protected override IKernel CreateKernel(OpContext context, BroadcastPlan plan, DataType type) => Left(context)
        ? new BinaryKernel<byte, byte, ScalarLoop<ShiftLeftOp, byte, byte>>(plan)
        : new BinaryKernel<byte, byte, ScalarLoop<ShiftRightOp, byte, byte>>(plan);

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
}
