using System.Runtime.Intrinsics;
using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.MicroKernels.Int8;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// MatMulInteger and QLinearMatMul on the convolutions' int8 tile (<see cref="Int8PixelTile"/>): rows of A are the
/// tile's pixels, read in place through one pointer each (copied with K padded to a multiple of 4 only when it is
/// not one), and B's columns its channels, packed once per model when B is a weight (<see cref="Int8MatrixWeights"/>,
/// stored in the .om) or per run. The zero points become per-column int32 offsets and at most two rank-one terms
/// (a per-row A zero point; a B zero point that did not fit the packed bytes, corrected with A's row sums), and the
/// requantisation runs as each tile is stored (<see cref="Int8PixelStore"/>), as ONNX Runtime computes it:
/// y = saturate(round_half_even(float(acc) · (a_scale · b_scale[n] / y_scale)) + y_zp). Integer sums throughout, so
/// every instruction path gives the same bits.
/// </summary>
internal sealed unsafe class QuantizedMatMulKernel : IKernel
{
    private const int RowBlocksPerTask = 8;
    private const int ChannelBlocksPerTask = 4;

    private readonly QuantizedMatMulSpec _spec;
    private readonly Int8Path _path;
    private readonly byte* _packedB;
    private readonly AlignedBuffer? _packedOwner;
    private readonly int[] _aOffsets, _bOffsets;
    private readonly int _aBatches, _bBatches, _blocks, _paddedN, _kp;

    public QuantizedMatMulKernel(QuantizedMatMulSpec spec, OpContext context, Int8Path path)
    {
        _spec = spec;
        _path = path;
        var s = spec.Shape;
        (_aOffsets, _bOffsets) = BatchOffsets(s);
        _aBatches = (int)Shape.ElementCount(s.ABatch);
        _bBatches = (int)Shape.ElementCount(s.BBatch);
        _blocks = Int8PixelWeights.Blocks(s.N);
        _paddedN = _blocks * Int8PixelTile.Channels;
        _kp = Int8WeightPanels.PaddedDepth(s.K);
        if (context.Constant(spec.BInput) is null) return;

        // Zero points known now are folded into the packed bytes where they fit; a run-time one is corrected per run.
        var zeroConstant = spec.BZeroInput >= 0 && context.HasInput(spec.BZeroInput) ? context.Constant(spec.BZeroInput) : null;
        bool zeroKnown = spec.BZeroInput < 0 || !context.HasInput(spec.BZeroInput) || zeroConstant is not null;
        long[] zeros = zeroConstant?.ToInt64Array() ?? [0];
        Func<int, int>? zeroPoint = zeroKnown ? j => (int)zeros[zeros.Length == 1 ? 0 : j] : null;
        string key = PrepackedWeights.Key("int8-matrix-weights/v1", ("batches", _bBatches), ("k", s.K), ("n", s.N),
            ("signed", spec.BType == DataType.Int8 ? 1 : 0), ("zero", zeroKnown ? ZeroHash(zeros) : "runtime"),
            ("channels", Int8PixelTile.Channels));
        bool signed = spec.BType == DataType.Int8;
        var packed = PrepackedWeights.Acquire(context, spec.BInput, key, (BBytes + 3) / 4, (raw, destination)
            => Int8MatrixWeights.Pack(new FloatInt8Source(raw), signed, _bBatches, s.K, s.N, zeroPoint, (byte*)destination));
        _packedB = (byte*)packed.Pointer;
        _packedOwner = packed.Owner;
    }

    private static string ZeroHash(long[] zeros)
    {
        uint hash = 2166136261;
        foreach (long z in zeros) hash = unchecked((hash ^ (uint)z) * 16777619);
        return $"{zeros.Length}:{hash:x8}";
    }

    private long BBytes => _bBatches * Int8MatrixWeights.BatchBytes(_spec.Shape.K, _spec.Shape.N);
    private bool CopiesA => _spec.Shape.K % 4 != 0;
    private long ACopyBytes => CopiesA ? (long)_aBatches * _spec.Shape.M * _kp : 0;
    private int RowBlocks => (_spec.Shape.M + Int8PixelTile.Pixels - 1) / Int8PixelTile.Pixels;
    private int RowTasks => (RowBlocks + RowBlocksPerTask - 1) / RowBlocksPerTask;
    private int ChannelTasks => (_blocks + ChannelBlocksPerTask - 1) / ChannelBlocksPerTask;
    private static long Align(long bytes) => (bytes + 63) & ~63L;

    /// <summary>Per B batch: offsets, residual zero points, column sums (each padded to whole channel blocks); the
    /// multipliers; per A row: its zero point and, per A batch, the residual term; A's padded copy; B packed per run.</summary>
    public long ScratchBytes
    {
        get
        {
            var s = _spec.Shape;
            long bytes = 3 * Align(4L * _bBatches * _paddedN) + Align(4L * _paddedN) + Align(4L * s.M)
                         + Align(4L * _aBatches * s.M) + Align(ACopyBytes);
            return _packedB == null ? bytes + Align(BBytes) : bytes;
        }
    }

    public void Run(in KernelArgs args)
    {
        var s = _spec.Shape;
        if (s.M == 0 || s.N == 0 || s.BatchCount == 0) return;
        byte* scratch = (byte*)args.Scratch;
        int* offsets = (int*)scratch; scratch += Align(4L * _bBatches * _paddedN);
        int* residuals = (int*)scratch; scratch += Align(4L * _bBatches * _paddedN);
        int* columnSums = (int*)scratch; scratch += Align(4L * _bBatches * _paddedN);
        float* multipliers = (float*)scratch; scratch += Align(4L * _paddedN);
        int* rowZeros = (int*)scratch; scratch += Align(4L * s.M);
        int* rowTerms = (int*)scratch; scratch += Align(4L * _aBatches * s.M);
        byte* aCopy = scratch; scratch += Align(ACopyBytes);
        byte* packedB = _packedB;
        bool bSigned = _spec.BType == DataType.Int8, aSigned = _spec.AType == DataType.Int8;
        if (packedB == null)
        {
            packedB = scratch;
            Int8MatrixWeights.PackRuntime(_path, (byte*)args.Inputs[_spec.BInput], bSigned, _bBatches, s.K, s.N, packedB);
        }

        // A is read +128 when int8 (the tile's unsigned operand), so its zero point shifts alike.
        bool perRowA = _spec.AZeroCount != 1 && Present(args, _spec.AZeroInput);
        for (int m = 0; m < s.M; m++) rowZeros[m] = ZeroPoint(args, _spec.AZeroInput, _spec.AType, perRowA ? m : 0) + (aSigned ? 128 : 0);
        int* bias = _spec.BiasInput >= 0 && Present(args, _spec.BiasInput) ? (int*)args.Inputs[_spec.BiasInput] : null;
        bool anyResidual = PrepareColumns(args, packedB, bias, perRowA ? 0 : rowZeros[0], offsets, residuals, columnSums);
        var range = PrepareMultipliers(args, multipliers);

        byte* a = (byte*)args.Inputs[0];
        long rowStride = s.K;
        if (CopiesA)
        {
            CopyPadded(a, aCopy);
            a = aCopy;
            rowStride = _kp;
        }
        if (anyResidual) PrepareRowTerms(a, rowStride, aSigned, rowZeros, rowTerms);

        var body = new TaskBody(this, a, rowStride, packedB, offsets, residuals, columnSums, anyResidual ? rowTerms : null,
            perRowA ? rowZeros : null, _spec.Requantize is null ? null : multipliers, range, (byte*)args.Outputs[0]);
        args.Workers.For((int)s.BatchCount * RowTasks * ChannelTasks, ref body);
    }

    private static bool Present(in KernelArgs args, int input) => input >= 0 && input < args.Inputs.Length && args.Inputs[input] != 0;

    private static int ZeroPoint(in KernelArgs args, int input, DataType type, int index)
        => Present(args, input) ? QuantizedParameters.Read(args.Inputs[input], type, index) : 0;

    /// <summary>Per B batch and column: offset = bias - za' · Σ(b - c) (za' folded only when per tensor), the
    /// residual zero point r = zb - c, and the column sum. Returns whether any r is not 0.</summary>
    private bool PrepareColumns(in KernelArgs args, byte* packedB, int* bias, int tensorAZero, int* offsets, int* residuals,
        int* columnSums)
    {
        var s = _spec.Shape;
        new Span<int>(offsets, _bBatches * _paddedN).Clear();
        new Span<int>(residuals, _bBatches * _paddedN).Clear();
        new Span<int>(columnSums, _bBatches * _paddedN).Clear();
        bool perColumnB = _spec.BZeroCount != 1;
        bool any = false;
        for (int t = 0; t < _bBatches; t++)
        {
            byte* batch = packedB + t * Int8MatrixWeights.BatchBytes(s.K, s.N);
            int* sums = Int8MatrixWeights.ColumnSums(batch, s.K, s.N), packedZeros = Int8MatrixWeights.PackedZeros(batch, s.K, s.N);
            for (int j = 0; j < s.N; j++)
            {
                int at = t * _paddedN + j;
                int residual = ZeroPoint(args, _spec.BZeroInput, _spec.BType, perColumnB ? j : 0) - packedZeros[j];
                residuals[at] = residual;
                columnSums[at] = sums[j];
                offsets[at] = unchecked((bias == null ? 0 : bias[j]) - tensorAZero * sums[j]);
                any |= residual != 0;
            }
        }
        return any;
    }

    private Int8OutputRange PrepareMultipliers(in KernelArgs args, float* multipliers)
    {
        new Span<float>(multipliers, _paddedN).Clear();
        if (_spec.Requantize is not { } q) return new Int8OutputRange(0, 0, 0, false, true);
        float aScale = *(float*)args.Inputs[q.AScale], yScale = *(float*)args.Inputs[q.YScale];
        float* bScale = (float*)args.Inputs[q.BScale];
        bool finite = true;
        for (int j = 0; j < _spec.Shape.N; j++)
        {
            multipliers[j] = aScale * bScale[q.BScaleCount == 1 ? 0 : j] / yScale;
            finite &= float.IsFinite(multipliers[j]);
        }
        var (min, max) = QuantizedParameters.Range(q.YType);
        return new Int8OutputRange(QuantizedParameters.Read(args.Inputs[q.YZero], q.YType, 0), min, max, q.YType == DataType.Int8, finite);
    }

    /// <summary>Per A batch and row: Σk a' - K · za'[m] (a' as the tile reads it), the factor of a residual B zero point.</summary>
    private void PrepareRowTerms(byte* a, long rowStride, bool flip, int* rowZeros, int* rowTerms)
    {
        var s = _spec.Shape;
        int shift = flip ? 0x80 : 0;
        for (int t = 0; t < _aBatches; t++)
            for (int m = 0; m < s.M; m++)
            {
                byte* row = a + ((long)t * s.M + m) * rowStride;
                int sum = 0;
                for (int kk = 0; kk < s.K; kk++) sum += row[kk] ^ shift;
                rowTerms[t * s.M + m] = unchecked(sum - s.K * rowZeros[m]);
            }
    }

    /// <summary>A's rows with K padded to a multiple of 4 (the pad meets B's zero rows, so its value is irrelevant).</summary>
    private void CopyPadded(byte* a, byte* copy)
    {
        var s = _spec.Shape;
        new Span<byte>(copy, checked((int)ACopyBytes)).Clear();
        for (long row = 0; row < (long)_aBatches * s.M; row++)
            Buffer.MemoryCopy(a + row * s.K, copy + row * _kp, s.K, s.K);
    }

    private readonly struct TaskBody(QuantizedMatMulKernel kernel, byte* a, long rowStride, byte* packedB, int* offsets,
        int* residuals, int* columnSums, int* rowTerms, int* rowZeros, float* multipliers, Int8OutputRange range, byte* output)
        : IParallelBody
    {
        public void Invoke(int index)
        {
            var k = kernel;
            var s = k._spec.Shape;
            int channelTask = index % k.ChannelTasks, rest = index / k.ChannelTasks;
            int rowTask = rest % k.RowTasks, t = rest / k.RowTasks;
            int aBatch = k._aOffsets[t], bBatch = k._bOffsets[t];
            byte* aBase = a + (long)aBatch * s.M * rowStride;
            byte* bBase = packedB + bBatch * Int8MatrixWeights.BatchBytes(s.K, s.N);
            int termBase = bBatch * k._paddedN;
            int outSize = k._spec.Requantize is null ? 4 : 1;
            int quads = k._kp / 4;
            long blockBytes = Int8PixelWeights.BlockBytes(Int8MatrixWeights.Segments(s.K));
            byte** rows = stackalloc byte*[Int8PixelTile.Pixels];
            int* tile = stackalloc int[Int8PixelTile.Pixels * Int8PixelTile.Channels];
            bool flip = k._spec.AType == DataType.Int8;

            int rb0 = rowTask * RowBlocksPerTask, rbEnd = Math.Min(k.RowBlocks, rb0 + RowBlocksPerTask);
            int cb0 = channelTask * ChannelBlocksPerTask, cbEnd = Math.Min(k._blocks, cb0 + ChannelBlocksPerTask);
            for (int cb = cb0; cb < cbEnd; cb++)
            {
                sbyte* w = (sbyte*)(bBase + cb * blockBytes);
                int n0 = cb * Int8PixelTile.Channels, width = Math.Min(Int8PixelTile.Channels, s.N - n0);
                for (int rb = rb0; rb < rbEnd; rb++)
                {
                    int m0 = rb * Int8PixelTile.Pixels, height = Math.Min(Int8PixelTile.Pixels, s.M - m0);
                    // Rows past M read row m0 again (valid memory); their sums are not stored.
                    for (int r = 0; r < Int8PixelTile.Pixels; r++) rows[r] = aBase + (m0 + (r < height ? r : 0)) * rowStride;
                    Int8PixelTile.Multiply(k._path, flip, rows, 1, quads, w, tile);
                    if (rowZeros != null) SubtractRankOne(tile, height, rowZeros + m0, columnSums + termBase + n0);
                    if (rowTerms != null) SubtractRankOne(tile, height, rowTerms + aBatch * s.M + m0, residuals + termBase + n0);
                    long first = ((long)t * s.M + m0) * s.N + n0;
                    Int8PixelStore.Store(k._path, tile, height, width, offsets + termBase + n0,
                        multipliers == null ? null : multipliers + n0, range, (nint)(output + first * outSize), s.N);
                }
            }
        }
    }

    /// <summary>tile[p, c] -= rowValues[p] · columnValues[c] over a tile's 16 channels (the column values are padded).</summary>
    private static void SubtractRankOne(int* tile, int height, int* rowValues, int* columnValues)
    {
        var c0 = Vector256.Load(columnValues);
        var c1 = Vector256.Load(columnValues + 8);
        for (int p = 0; p < height; p++)
        {
            int* sums = tile + p * Int8PixelTile.Channels;
            var factor = Vector256.Create(rowValues[p]);
            (Vector256.Load(sums) - factor * c0).Store(sums);
            (Vector256.Load(sums + 8) - factor * c1).Store(sums + 8);
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
