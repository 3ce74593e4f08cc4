using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// MatMul on the SGEMM driver. When B has no batch (weights), A's batch folds into M: one GEMM. Otherwise one GEMM
/// per output batch entry, with A and B offsets precomputed from the broadcast. Constant B matrices are packed once.
/// </summary>
internal sealed unsafe class MatMulKernel : IMappedActivationKernel
{
    private readonly MatMulShape _shape;
    private readonly Isa _isa;
    private readonly int _batches;       // GEMMs to run
    private readonly int _rows;          // M of each GEMM (A's batch folded in when B has none)
    private readonly long[] _aOffsets;   // per GEMM, in floats
    private readonly long[] _bIndex;     // per GEMM, which B matrix
    private readonly float* _packedB;               // every B matrix in panels, _packedFloats apart, when B is constant
    private readonly long _packedFloats;
    private readonly AlignedBuffer? _packedBOwner;  // null when _packedB points into the loaded model
    private readonly int[] _kStarts;
    private readonly GemmTiling _tiling;
    private readonly bool _copyA;
    private readonly int _slots;
    private readonly long _slotBytes;
    private readonly bool _hasBias;      // input 2: N values added to every row (compiler-fused bias)
    private readonly Activation _activation;
    private readonly int _gemvTasks;     // > 0: 1-4 rows against one packed B take the GEMV path

    public MatMulKernel(OpContext context, MatMulShape shape, Isa isa)
    {
        _shape = shape;
        _isa = isa;
        _hasBias = context.HasInput(2);
        _activation = NeuralNetAttributes.ReadActivation(context);
        int m = shape.M, n = shape.N, k = shape.K;
        _kStarts = GemmLayout.UniformKBlocks(k);
        _copyA = GemmDriver.ShouldCopyA(k);
        long bMatrices = Shape.ElementCount(shape.BBatch);
        if (bMatrices == 1)
        {
            _batches = 1;
            _rows = checked((int)(Shape.ElementCount(shape.ABatch) * m));
            _aOffsets = [0];
            _bIndex = [0];
        }
        else
        {
            _batches = checked((int)shape.BatchCount);
            _rows = m;
            (_aOffsets, _bIndex) = BatchOffsets(shape);
        }

        if (ConstantWeights.Of(context, 1) is { } b)
        {
            long matrixFloats = _packedFloats = GemmLayout.PackedLength(k, n);
            int[] kStarts = _kStarts;
            string key = PrepackedWeights.Key("gemm-panels/v1", ("src", "matmul-b"), ("k", k), ("n", n),
                ("kblocks", kStarts), ("matrices", bMatrices));
            var packed = b.Acquire(key, bMatrices * matrixFloats, (bp, dst) =>
            {
                for (long i = 0; i < bMatrices; i++)
                    PrepackedWeights.PackPanels(new RowMajorPanels(bp + i * k * n, n, n, 1f), kStarts, n, dst + i * matrixFloats);
            });
            _packedB = packed.Pointer;
            _packedBOwner = packed.Owner;
        }

        if (_packedB != null && _batches == 1 && _rows is > 0 and <= Gemv.MaxRows)
            _gemvTasks = Gemv.TaskCount(_rows, n, k);

        _tiling = GemmTiling.Plan(_batches, _rows, n, k, GemmLayout.RowTile(isa),
            _packedB == null ? GemmTiling.MaxTileNPackedPerTask : GemmTiling.MaxTileNPrePacked);
        if (_packedB == null)
        {
            _slots = ScratchSlots.DefaultCount((long)_batches * _tiling.Count);
            _slotBytes = (long)GemmLayout.KcMax * _tiling.TileN * sizeof(float);
        }
    }

    /// <summary>For each output batch entry: A's offset (floats) and B's matrix index under broadcasting.</summary>
    private static (long[] A, long[] B) BatchOffsets(MatMulShape s)
    {
        int rank = s.BatchDims.Length;
        int[] aDims = Align(s.ABatch, rank), bDims = Align(s.BBatch, rank);
        long count = s.BatchCount;
        var a = new long[count];
        var b = new long[count];
        var index = new int[rank];
        long aMatrix = (long)s.M * s.K;
        for (long i = 0; i < count; i++)
        {
            long ai = 0, bi = 0;
            for (int d = 0; d < rank; d++)
            {
                ai = ai * aDims[d] + (aDims[d] == 1 ? 0 : index[d]);
                bi = bi * bDims[d] + (bDims[d] == 1 ? 0 : index[d]);
            }
            a[i] = ai * aMatrix;
            b[i] = bi;
            for (int d = rank - 1; d >= 0 && ++index[d] == s.BatchDims[d]; d--) index[d] = 0;
        }
        return (a, b);
    }

    private static int[] Align(int[] dims, int rank) => [.. Enumerable.Repeat(1, rank - dims.Length), .. dims];

    /// <summary>The GEMM driver and the GEMV path run the mapped activation per block (<see cref="GemmEpilogue.Map"/>).</summary>
    public bool AppliesMappedActivation => true;

    public long ScratchBytes => ScratchSlots.Bytes(_slots, _slotBytes);

    public void Run(in KernelArgs args)
    {
        var epilogue = GemmEpilogue.Create(_activation);
        if (_hasBias) epilogue.ColumnBias = (float*)args.Inputs[2];
        if (_gemvTasks > 0)
        {
            var problem = new GemvProblem
            {
                A = (float*)args.Inputs[0], Lda = _shape.K, Rows = _rows, Packed = _packedB, KStarts = _kStarts,
                N = _shape.N, Y = (float*)args.Outputs[0], Ldy = _shape.N, Epilogue = epilogue,
            };
            Gemv.Run(_isa, args.Workers, problem, _gemvTasks);
            return;
        }
        var body = new Body
        {
            Kernel = this,
            A = (float*)args.Inputs[0],
            B = (float*)args.Inputs[1],
            Y = (float*)args.Outputs[0],
            Epilogue = epilogue,
            Slots = _packedB == null ? ScratchSlots.Create(args.Scratch, _slots, _slotBytes) : default,
        };
        args.Workers.For(_batches * _tiling.Count, ref body);
    }

    private struct Body : IParallelBody
    {
        public MatMulKernel Kernel;
        public float* A, B, Y;
        public GemmEpilogue Epilogue;
        public ScratchSlots Slots;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            int n = k._shape.N, kk = k._shape.K;
            int batch = index / k._tiling.Count, tile = index % k._tiling.Count;
            var spec = new GemmTileSpec { C = Y + (long)batch * k._rows * n, Ldc = n, Epilogue = Epilogue, CopyA = k._copyA };
            k._tiling.Bounds(tile, k._rows, n, ref spec);
            var rows = new DenseRows(A + k._aOffsets[batch], kk);
            long bMatrix = k._bIndex[batch];
            if (k._packedB != null)
            {
                var panels = new PrePackedPanels(k._packedB + bMatrix * k._packedFloats, GemmLayout.PadColumns(n));
                GemmDriver.ComputeTile(k._isa, rows, panels, k._kStarts, null, spec);
                return;
            }
            int slot = Slots.Claim();
            try
            {
                var panels = new RowMajorPanels(B + bMatrix * kk * n, n, n, 1f);
                GemmDriver.ComputeTile(k._isa, rows, panels, k._kStarts, Slots.Slot(slot), spec);
            }
            finally
            {
                Slots.Release(slot);
            }
        }
    }
}
