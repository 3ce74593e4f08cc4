using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// QLinearAdd/QLinearMul over a <see cref="BroadcastPlan"/>. Each run first dequantises all 256 byte values of A and of
/// B into tables (the exact floats DequantizeLinear gives), so an element costs two lookups, one add or multiply, one
/// division and the rounding: the same float operations in the same order as the reference formula.
/// </summary>
internal sealed unsafe class QLinearBinaryKernel(BroadcastPlan plan, DataType type, bool multiply, int outputMin, int outputMax) : IKernel
{
    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        bool signed = type == DataType.Int8;
        float* aTable = stackalloc float[256];
        float* bTable = stackalloc float[256];
        Dequantized(args, 1, 2, signed, aTable);
        Dequantized(args, 4, 5, signed, bTable);
        float cScale = *(float*)args.Inputs[6];
        int cZero = ZeroPoint(args, 7, type);
        // The vector path computes the same float operations 8 at a time; NaN (a zero or non-finite scale) would
        // saturate differently there, so such parameters keep the scalar path.
        bool vector = Avx2.IsSupported && float.IsFinite(cScale) && cScale != 0 && float.IsFinite(aTable[0]) && float.IsFinite(aTable[255])
            && float.IsFinite(bTable[0]) && float.IsFinite(bTable[255]) && float.IsFinite(aTable[signed ? 128 : 0]) && float.IsFinite(bTable[signed ? 128 : 0]);
        var body = new Body(plan, (byte*)args.Inputs[0], (byte*)args.Inputs[3], (byte*)args.Outputs[0], aTable, bTable,
            cScale, cZero, outputMin, outputMax, multiply, vector ? new VectorTerms(args, signed) : default);
        ParallelRange.For(args.Workers, plan.WorkItems, plan.SegmentLength, ref body);
    }

    /// <summary>DQ of every raw byte: scale · (value - zero_point), value read as the operand's type.</summary>
    public static void Dequantized(in KernelArgs args, int scaleInput, int zeroInput, bool signed, float* table)
    {
        float scale = *(float*)args.Inputs[scaleInput];
        int zero = ZeroPoint(args, zeroInput, signed ? DataType.Int8 : DataType.UInt8);
        for (int raw = 0; raw < 256; raw++)
            table[raw] = scale * ((signed ? (sbyte)(byte)raw : raw) - zero);
    }

    /// <summary>An optional zero point (absent: 0).</summary>
    public static int ZeroPoint(in KernelArgs args, int input, DataType type)
        => input < args.Inputs.Length && args.Inputs[input] != 0 ? QuantizedParameters.Read(args.Inputs[input], type, 0) : 0;

    private readonly struct Body(BroadcastPlan plan, byte* a, byte* b, byte* output, float* aTable, float* bTable,
        float cScale, int cZero, int min, int max, bool multiply, VectorTerms terms) : IRangeBody
    {
        public void Run(long start, long end)
        {
            Span<int> index = stackalloc int[plan.OuterRank];
            Span<long> offsets = stackalloc long[2];
            for (long item = start; item < end; item++)
            {
                var (row, first, length) = plan.Segment(item);
                plan.Seek(row, index, offsets);
                Apply(offsets, first, output + row * plan.Inner + first, length);
            }
        }

        private void Apply(Span<long> offsets, int first, byte* destination, int length)
        {
            long aStep = plan.InnerIsVector(0) ? 1 : 0, bStep = plan.InnerIsVector(1) ? 1 : 0;
            byte* pa = a + offsets[0] + aStep * first, pb = b + offsets[1] + bStep * first;
            int i = 0;
            if (terms.Enabled && aStep == 1 && bStep == 1) i = VectorPrefix(pa, pb, destination, length);
            for (; i < length; i++)
            {
                float x = aTable[pa[i * aStep]], y = bTable[pb[i * bStep]];
                float value = (multiply ? x * y : x + y) / cScale;
                destination[i] = unchecked((byte)QuantizedParameters.RoundAndSaturate(value, cZero, min, max));
            }
        }

        /// <summary>Elements [0, 8k) of a contiguous run with AVX2: widen 8 bytes to int32, DQ as scale · (float)(q -
        /// zero_point) like the tables, add or multiply, divide, round half to even, add the zero point and clamp,
        /// all in float as the scalar loop does.</summary>
        private int VectorPrefix(byte* pa, byte* pb, byte* destination, int length)
        {
            var aScale = Vector256.Create(terms.AScale); var bScale = Vector256.Create(terms.BScale);
            var aZero = Vector256.Create(terms.AZero); var bZero = Vector256.Create(terms.BZero);
            var divisor = Vector256.Create(cScale); var zero = Vector256.Create((float)cZero);
            var lo = Vector256.Create((float)min); var hi = Vector256.Create((float)max);
            int i = 0;
            for (; i + 8 <= length; i += 8)
            {
                var qa = terms.Signed ? Avx2.ConvertToVector256Int32((sbyte*)(pa + i)) : Avx2.ConvertToVector256Int32(pa + i);
                var qb = terms.Signed ? Avx2.ConvertToVector256Int32((sbyte*)(pb + i)) : Avx2.ConvertToVector256Int32(pb + i);
                var x = Avx.Multiply(aScale, Avx.ConvertToVector256Single(Avx2.Subtract(qa, aZero)));
                var y = Avx.Multiply(bScale, Avx.ConvertToVector256Single(Avx2.Subtract(qb, bZero)));
                var value = Avx.Divide(multiply ? Avx.Multiply(x, y) : Avx.Add(x, y), divisor);
                var rounded = Avx.Min(Avx.Max(Avx.Add(Avx.RoundToNearestInteger(value), zero), lo), hi);
                var q = Avx.ConvertToVector256Int32WithTruncation(rounded);
                // int32 -> 8 bits: the values are in range, so the low byte of each lane is the result.
                var packed16 = Avx2.PackSignedSaturate(q, q);
                var bytes = terms.Signed ? Avx2.PackSignedSaturate(packed16, packed16).AsByte() : Avx2.PackUnsignedSaturate(packed16, packed16);
                uint low = bytes.AsUInt32().GetElement(0), high = bytes.AsUInt32().GetElement(4);
                *(uint*)(destination + i) = low;
                *(uint*)(destination + i + 4) = high;
            }
            return i;
        }
    }
}

/// <summary>The per-run parameters of the vector path (disabled when default).</summary>
internal readonly unsafe struct VectorTerms
{
    public readonly bool Enabled, Signed;
    public readonly float AScale, BScale;
    public readonly int AZero, BZero;

    public VectorTerms(in KernelArgs args, bool signed)
    {
        Enabled = true;
        Signed = signed;
        var type = signed ? DataType.Int8 : DataType.UInt8;
        AScale = *(float*)args.Inputs[1];
        BScale = *(float*)args.Inputs[4];
        AZero = QLinearBinaryKernel.ZeroPoint(args, 2, type);
        BZero = QLinearBinaryKernel.ZeroPoint(args, 5, type);
    }
}
