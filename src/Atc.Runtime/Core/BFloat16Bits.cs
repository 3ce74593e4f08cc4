namespace Atc.Runtime.Core;

/// <summary>
/// bfloat16 held as its 16 bits (the upper half of a float32): .NET 10 has no BFloat16 type. Widening is exact;
/// narrowing rounds to nearest even, as ONNX's reference and ONNX Runtime do, and keeps NaN a (quiet) NaN.
/// </summary>
internal static class BFloat16Bits
{
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        // Rounding could carry a NaN's payload into the exponent and make it infinity; keep it a quiet NaN instead.
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);
        uint roundingBias = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + roundingBias) >> 16);
    }
}
