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
        var body = new Body(plan, (byte*)args.Inputs[0], (byte*)args.Inputs[3], (byte*)args.Outputs[0], aTable, bTable,
            cScale, cZero, outputMin, outputMax, multiply);
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
        float cScale, int cZero, int min, int max, bool multiply) : IRangeBody
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
            for (int i = 0; i < length; i++)
            {
                float x = aTable[pa[i * aStep]], y = bTable[pb[i * bStep]];
                float value = (multiply ? x * y : x + y) / cScale;
                destination[i] = unchecked((byte)QuantizedParameters.RoundAndSaturate(value, cZero, min, max));
            }
        }
    }
}
