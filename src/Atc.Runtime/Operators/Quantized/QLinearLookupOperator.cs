using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels.Int8;
using Atc.Runtime.Operators.Common;
using Atc.Runtime.Operators.Elementwise.Unary;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// QLinearSigmoid and QLinearLeakyRelu (com.microsoft): X, X_scale, X_zero_point?, Y_scale, Y_zero_point? → X's type.
/// An 8-bit input has 256 values, so the kernel maps each through a table built per run from the reference formula
/// y = Q(f(DQ(x))) in float32, f computed by the float operator's own routine (so a fused QDQ Sigmoid/LeakyRelu
/// gives the unfused graph's values).
/// </summary>
internal sealed class QLinearLookupOperator(string opType) : IOperator
{
    public string OpType => opType;

    public TensorType[] InferOutputs(OpContext context) => [Check(context)];

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = Check(context);
        float alpha = context.Attributes.GetFloat("alpha", 0.01f);
        FloatMap function = opType == OpTypes.QLinearSigmoid
            ? (v, y) => SigmoidFunction.Apply(v, y)
            : (v, y) => VectorMath.LeakyRelu(v, alpha, y);
        return new QLinearLookupKernel(x.Type, x.ElementCount, function, Int8ByteLookup.VectorAvailable);
    }

    private static TensorType Check(OpContext context)
    {
        var x = QuantizedOperands.EightBit(context, 0, "X");
        QuantizedOperands.ScaleCount(context, 1, "X_scale", 1, "tensor");
        QuantizedOperands.ZeroPointCount(context, 2, "X_zero_point", x.Type, 1, "tensor");
        QuantizedOperands.ScaleCount(context, 3, "Y_scale", 1, "tensor");
        QuantizedOperands.ZeroPointCount(context, 4, "Y_zero_point", x.Type, 1, "tensor");
        return x;
    }
}

/// <summary>Maps every byte through a 256-entry table of Q(f(DQ(x))) (built per run: the parameters are inputs), 64 bytes
/// per step with AVX-512 VBMI (<see cref="Int8ByteLookup"/>).</summary>
internal sealed unsafe class QLinearLookupKernel(DataType type, long count, FloatMap function, bool vector) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        bool signed = type == DataType.Int8;
        float* input = stackalloc float[256];
        QLinearBinaryKernel.Dequantized(args, 1, 2, signed, input);
        function(new ReadOnlySpan<float>(input, 256), new Span<float>(input, 256));
        float yScale = *(float*)args.Inputs[3];
        int yZero = QLinearBinaryKernel.ZeroPoint(args, 4, type);
        var (min, max) = QuantizedParameters.Range(type);
        byte* table = stackalloc byte[256];
        for (int raw = 0; raw < 256; raw++)
            table[raw] = unchecked((byte)QuantizedParameters.RoundAndSaturate(input[raw] / yScale, yZero, min, max));
        byte* x = (byte*)args.Inputs[0], y = (byte*)args.Outputs[0];
        Int8ByteLookup.Map(table, x, y, count, vector);
    }
}
