using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>Where a quantised matmul reads its operands' types and zero points, and how it writes its output.</summary>
/// <param name="AZeroInput">The input holding A's zero point (-1 when absent: 0); <paramref name="AZeroCount"/> is 1
/// (per tensor) or M (per row).</param>
/// <param name="BZeroInput">The input holding B's zero point (-1 when absent); <paramref name="BZeroCount"/> is 1 or N.</param>
internal sealed record QuantizedMatMulSpec(MatMulShape Shape, DataType AType, DataType BType, int AZeroInput, int AZeroCount,
    int BZeroInput, int BZeroCount)
{
    /// <summary>The input holding B.</summary>
    public int BInput => Requantize is null ? 1 : 3;

    /// <summary>QLinearMatMul's requantisation: the inputs of a_scale, b_scale (1 or N entries), y_scale and
    /// y_zero_point; null for MatMulInteger (int32 output).</summary>
    public (int AScale, int BScale, int BScaleCount, int YScale, int YZero, DataType YType)? Requantize { get; init; }

    /// <summary>The input holding an int32 column bias added to the accumulator (a fused QDQ Gemm's), or -1.</summary>
    public int BiasInput { get; init; } = -1;
}
