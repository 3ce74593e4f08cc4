using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>Where a quantised matmul reads its operands' types and zero points, and how it writes its output.</summary>
/// <param name="AZeroInput">The input holding A's zero point (-1 when absent: 0); <paramref name="AZeroCount"/> is 1
/// (per tensor) or M (per row).</param>
/// <param name="BZeroInput">The input holding B's zero point (-1 when absent); <paramref name="BZeroCount"/> is 1 or N.</param>
internal sealed record QuantizedMatMulSpec(MatMulShape Shape, DataType AType, DataType BType, int AZeroInput, int AZeroCount,
    int BZeroInput, int BZeroCount)
{
    /// <summary>QLinearMatMul's requantisation: the inputs of a_scale, b_scale (1 or N entries), y_scale and
    /// y_zero_point; null for MatMulInteger (int32 output).</summary>
    public (int AScale, int BScale, int BScaleCount, int YScale, int YZero, DataType YType)? Requantize { get; init; }

    /// <summary>The input holding an int32 column bias added to the accumulator (a fused QDQ Gemm's), or -1.</summary>
    public int BiasInput { get; init; } = -1;
}

/// <summary>
/// MatMulInteger and QLinearMatMul on <see cref="Int8Gemm"/>: per batch, A is packed into scratch, B is packed once at
/// load when it is a weight (else per call), rows are split over the workers. QLinearMatMul accumulates in int32 and
/// requantises as ONNX Runtime does: y = saturate(round_half_even(float(acc) · (a_scale · b_scale[n] / y_scale)) + y_zp).
/// </summary>
internal sealed unsafe class QuantizedMatMulKernel : IKernel
{
    private const int RowsPerTask = 16;
    private readonly QuantizedMatMulSpec _spec;
    private readonly bool _vnni;
    private readonly sbyte[]? _packedB;
    private readonly int[]? _columnSums;
    private readonly long _packedBBytes;
    private readonly int[] _aOffsets, _bOffsets;

    private readonly bool _vectorEpilogue;

    public QuantizedMatMulKernel(QuantizedMatMulSpec spec, TensorData? constantB, bool vnni)
    {
        _spec = spec;
        _vnni = vnni;
        _vectorEpilogue = KernelIsa.Current != Isa.Portable;
        var s = spec.Shape;
        _packedBBytes = Int8Gemm.PackedBBytes(s.K, s.N);
        (_aOffsets, _bOffsets) = BatchOffsets(s);
        if (constantB is not null)
        {
            int bBatches = (int)Shape.ElementCount(s.BBatch);
            _packedB = GC.AllocateArray<sbyte>(checked((int)(_packedBBytes * bBatches)), pinned: true);
            _columnSums = GC.AllocateArray<int>(s.N * bBatches, pinned: true);
            fixed (byte* b = constantB.Bytes.Span)
                for (int t = 0; t < bBatches; t++)
                    fixed (sbyte* packed = &_packedB[_packedBBytes * t])
                    fixed (int* sums = &_columnSums[s.N * t])
                        Int8Gemm.PackB(b + (long)t * s.K * s.N, spec.BType == DataType.Int8, s.K, s.N, s.N, packed, sums);
        }
    }

    private long PackedABytes => (long)_spec.Shape.M * Int8Gemm.PaddedDepth(_spec.Shape.K);

    public long ScratchBytes
    {
        get
        {
            var s = _spec.Shape;
            long bytes = Align(PackedABytes) + Align(4L * s.M);
            if (_packedB is null) bytes += Align(_packedBBytes) + Align(4L * s.N);
            if (_spec.Requantize is not null) bytes += Align(4L * s.M * s.N);
            return bytes;
        }
    }

    private static long Align(long bytes) => (bytes + 63) & ~63L;

    public void Run(in KernelArgs args)
    {
        var s = _spec.Shape;
        bool aSigned = _spec.AType == DataType.Int8, bSigned = _spec.BType == DataType.Int8;
        var aZero = ZeroPoints(args, _spec.AZeroInput, _spec.AZeroCount, _spec.AType, aSigned ? 128 : 0);
        var bZero = ZeroPoints(args, _spec.BZeroInput, _spec.BZeroCount, _spec.BType, bSigned ? 0 : -128);
        float[]? multipliers = null;
        int yZero = 0;
        if (_spec.Requantize is { } q)
        {
            float aScale = *(float*)args.Inputs[q.AScale], yScale = *(float*)args.Inputs[q.YScale];
            int count = q.BScaleCount;
            multipliers = new float[count];
            for (int j = 0; j < count; j++) multipliers[j] = aScale * ((float*)args.Inputs[q.BScale])[j] / yScale;
            yZero = QuantizedParameters.Read(args.Inputs[q.YZero], q.YType, 0);
        }

        byte* scratch = (byte*)args.Scratch;
        byte* packedA = scratch; scratch += Align(PackedABytes);
        int* rowSums = (int*)scratch; scratch += Align(4L * s.M);
        sbyte* runtimeB = null; int* runtimeSums = null;
        if (_packedB is null)
        {
            runtimeB = (sbyte*)scratch; scratch += Align(_packedBBytes);
            runtimeSums = (int*)scratch; scratch += Align(4L * s.N);
        }
        int* accumulators = _spec.Requantize is null ? null : (int*)scratch;

        var a = (byte*)args.Inputs[0];
        var b = (byte*)args.Inputs[_spec.Requantize is null ? 1 : 3];
        for (int t = 0; t < _aOffsets.Length; t++)
        {
            Int8Gemm.PackA(a + (long)_aOffsets[t] * s.M * s.K, aSigned, s.M, s.K, s.K, packedA, rowSums);
            fixed (sbyte* constantB = _packedB)
            fixed (int* constantSums = _columnSums)
            {
                sbyte* packedB = constantB is null ? runtimeB : constantB + _packedBBytes * _bOffsets[t];
                int* columnSums = constantB is null ? runtimeSums : constantSums + (long)s.N * _bOffsets[t];
                if (constantB is null) Int8Gemm.PackB(b + (long)_bOffsets[t] * s.K * s.N, bSigned, s.K, s.N, s.N, packedB, columnSums);
                int* c = accumulators != null ? accumulators : (int*)args.Outputs[0] + (long)t * s.M * s.N;
                int* bias = _spec.BiasInput >= 0 && _spec.BiasInput < args.Inputs.Length ? (int*)args.Inputs[_spec.BiasInput] : null;
                var body = new Body(this, packedA, packedB, rowSums, columnSums, c, aZero, bZero, multipliers, yZero,
                    args.Outputs[0] + (nint)((long)t * s.M * s.N), bias);
                args.Workers.For((s.M + RowsPerTask - 1) / RowsPerTask, ref body);
            }
        }
    }

    // Zero points shifted like their operand (see Int8Gemm); an absent one is 0.
    private static int[] ZeroPoints(in KernelArgs args, int input, int count, DataType type, int shift)
    {
        bool present = input >= 0 && input < args.Inputs.Length && args.Inputs[input] != 0;
        var values = new int[present ? count : 1];
        for (int i = 0; i < values.Length; i++)
            values[i] = (present ? QuantizedParameters.Read(args.Inputs[input], type, i) : 0) + shift;
        return values;
    }

    private readonly struct Body(QuantizedMatMulKernel kernel, byte* packedA, sbyte* packedB, int* rowSums, int* columnSums,
        int* c, int[] aZero, int[] bZero, float[]? multipliers, int yZero, nint output, int* bias) : IParallelBody
    {
        public void Invoke(int index)
        {
            var s = kernel._spec.Shape;
            int start = index * RowsPerTask, end = Math.Min(s.M, start + RowsPerTask);
            Int8Gemm.MultiplyRaw(packedA, start, end, s.K, packedB, s.N, c, s.N, kernel._vnni);
            Int8Gemm.ApplyZeroPoints(c, s.N, start, end, s.N, s.K, rowSums, columnSums, aZero, bZero);
            if (multipliers is null) return;
            QuantizedMatMulEpilogue.Store(c, start, end, s.N, multipliers, bias, yZero, kernel._spec.Requantize!.Value.YType, output,
                kernel._vectorEpilogue);
        }
    }

    /// <summary>For each output batch, the batch index of A and of B (numpy broadcasting of the batch dims).</summary>
    private static (int[] A, int[] B) BatchOffsets(MatMulShape s)
    {
        int count = (int)s.BatchCount;
        var a = new int[count];
        var b = new int[count];
        int rank = s.BatchDims.Length;
        for (int t = 0; t < count; t++)
        {
            int rest = t, aIndex = 0, bIndex = 0, aStride = 1, bStride = 1;
            for (int d = rank - 1; d >= 0; d--)
            {
                int coordinate = rest % s.BatchDims[d];
                rest /= s.BatchDims[d];
                int ad = d - (rank - s.ABatch.Length), bd = d - (rank - s.BBatch.Length);
                if (ad >= 0) { aIndex += (s.ABatch[ad] == 1 ? 0 : coordinate) * aStride; aStride *= s.ABatch[ad]; }
                if (bd >= 0) { bIndex += (s.BBatch[bd] == 1 ? 0 : coordinate) * bStride; bStride *= s.BBatch[bd]; }
            }
            a[t] = aIndex;
            b[t] = bIndex;
        }
        return (a, b);
    }
}
