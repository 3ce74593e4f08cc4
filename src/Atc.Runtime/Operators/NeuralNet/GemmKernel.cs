using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Gemm on the SGEMM driver. Constant B is packed once with alpha folded in; runtime B is packed per task into a
/// scratch slot. A transposed at run time is first transposed into scratch. Beta * C becomes a column bias, a row
/// bias or a residual in the epilogue when it can (precomputed when constant); other broadcasts pre-fill Y.
/// </summary>
internal sealed unsafe class GemmKernel : IMappedActivationKernel
{
    private enum BiasForm { None, Column, Row, Full, Prefill }

    private readonly int _m, _n, _k;
    private readonly Isa _isa;
    private readonly bool _transA, _transB;
    private readonly float _alpha, _beta;
    private readonly Activation _activation;
    private readonly AlignedBuffer? _constantA;      // op(A) when A is constant, row stride _lda
    private readonly int _lda;
    private readonly float* _packedB;               // alpha * op(B) in panels, when B is constant
    private readonly AlignedBuffer? _packedBOwner;  // null when _packedB points into the loaded model
    private readonly BiasForm _biasForm;
    private readonly AlignedBuffer? _constantBias;   // beta * C in its epilogue form, when C is constant
    private readonly int _cRows, _cColumns;
    private readonly int[] _kStarts;
    private readonly GemmTiling _tiling;
    private readonly bool _copyA;
    private readonly int _slots;
    private readonly long _slotBytes;
    private readonly long _transposeBytes;
    private readonly int _gemvTasks;                 // > 0: 1-4 rows against packed B take the GEMV path

    public GemmKernel(OpContext context, int m, int n, int k, Isa isa)
    {
        _m = m; _n = n; _k = k; _isa = isa;
        var attrs = context.Attributes;
        _transA = attrs.GetInt("transA", 0) != 0;
        _transB = attrs.GetInt("transB", 0) != 0;
        _alpha = attrs.GetFloat("alpha", 1f);
        _beta = attrs.GetFloat("beta", 1f);
        _activation = NeuralNetAttributes.ReadActivation(context);
        _kStarts = GemmLayout.UniformKBlocks(k);
        bool aliasing = GemmDriver.ShouldCopyA(k);

        if (context.Constant(0) is { } a)
        {
            _lda = aliasing ? k + 16 : k;
            _constantA = new AlignedBuffer(Math.Max(1, (long)m * _lda));
            float[] values = a.ToFloatArray();
            for (int i = 0; i < m; i++)
                for (int j = 0; j < k; j++)
                    _constantA.Pointer[(long)i * _lda + j] = _transA ? values[(long)j * m + i] : values[(long)i * k + j];
        }
        else
        {
            _lda = k;
            _copyA = aliasing;
            if (_transA) _transposeBytes = (long)m * k * sizeof(float) + 64;
        }

        if (ConstantWeights.Of(context, 1) is { } b)
        {
            bool transB = _transB;
            float alpha = _alpha;
            int[] kStarts = _kStarts;
            string key = PrepackedWeights.Key("gemm-panels/v1", ("src", transB ? "gemm-bt" : "gemm-b"), ("k", k), ("n", n),
                ("kblocks", kStarts), ("scale", alpha));
            var packed = b.Acquire(key, GemmLayout.PackedLength(k, n), (bp, dst) =>
            {
                if (transB) PrepackedWeights.PackPanels(new TransposedPanels(bp, k, n, alpha), kStarts, n, dst);
                else PrepackedWeights.PackPanels(new RowMajorPanels(bp, n, n, alpha), kStarts, n, dst);
            });
            _packedB = packed.Pointer;
            _packedBOwner = packed.Owner;
        }

        if (context.HasInput(2) && _beta != 0f)
        {
            (_cRows, _cColumns) = GemmOperator.BiasShape(context.Input(2).Dims);
            _biasForm = _cRows == 1 ? BiasForm.Column : _cColumns == 1 ? BiasForm.Row : BiasForm.Full;
            if (context.Constant(2) is { } c)
                _constantBias = AlignedBuffer.From(ScaledBias(c.ToFloatArray()));
            else if (_beta != 1f || (_biasForm == BiasForm.Column && _cColumns != n))
                _biasForm = BiasForm.Prefill;
        }

        if (_packedB != null && m is > 0 and <= Gemv.MaxRows && _biasForm != BiasForm.Prefill)
            _gemvTasks = Gemv.TaskCount(m, n, k);

        _tiling = GemmTiling.Plan(1, m, n, k, GemmLayout.RowTile(isa),
            _packedB == null ? GemmTiling.MaxTileNPackedPerTask : GemmTiling.MaxTileNPrePacked);
        if (_packedB == null)
        {
            _slots = ScratchSlots.DefaultCount(_tiling.Count);
            _slotBytes = (long)GemmLayout.KcMax * _tiling.TileN * sizeof(float);
        }
    }

    /// <summary>beta * C laid out for the epilogue: N values (column bias), M values (row bias) or M x N.</summary>
    private float[] ScaledBias(float[] c) => _biasForm switch
    {
        BiasForm.Column => Enumerable.Range(0, _n).Select(j => _beta * c[_cColumns == 1 ? 0 : j]).ToArray(),
        BiasForm.Row => c.Select(v => _beta * v).ToArray(),
        _ => c.Select(v => _beta * v).ToArray(),
    };

    /// <summary>The GEMM driver and the GEMV path run the mapped activation per block (<see cref="GemmEpilogue.Map"/>).</summary>
    public bool AppliesMappedActivation => true;

    public long ScratchBytes => _transposeBytes + ScratchSlots.Bytes(_slots, _slotBytes);

    public void Run(in KernelArgs args)
    {
        float* a = _constantA is null ? (float*)args.Inputs[0] : _constantA.Pointer;
        nint scratch = args.Scratch;
        if (_constantA is null && _transA)
        {
            // A is [K, M]: transpose into scratch once so rows of op(A) are contiguous.
            float* t = (float*)((scratch + 63) & ~(nint)63);
            for (int i = 0; i < _k; i++)
                for (int j = 0; j < _m; j++) t[(long)j * _k + i] = a[(long)i * _m + j];
            a = t;
            scratch += (nint)_transposeBytes;
        }
        float* c = _biasForm == BiasForm.None ? null : _constantBias is null ? (float*)args.Inputs[2] : _constantBias.Pointer;
        var epilogue = GemmEpilogue.Create(_activation);
        switch (_biasForm)
        {
            case BiasForm.Column: epilogue.ColumnBias = c; break;
            case BiasForm.Row: epilogue.RowBias = c; break;
            case BiasForm.Full: epilogue.Residual = c; epilogue.ResidualStride = _n; break;
        }
        if (_gemvTasks > 0)
        {
            var problem = new GemvProblem
            {
                A = a, Lda = _lda, Rows = _m, Packed = _packedB, KStarts = _kStarts, N = _n,
                Y = (float*)args.Outputs[0], Ldy = _n, Epilogue = epilogue,
            };
            Gemv.Run(_isa, args.Workers, problem, _gemvTasks);
            return;
        }
        var body = new Body
        {
            Kernel = this,
            A = a,
            B = (float*)args.Inputs[1],
            C = c,
            Y = (float*)args.Outputs[0],
            Epilogue = epilogue,
            Slots = _packedB == null ? ScratchSlots.Create(scratch, _slots, _slotBytes) : default,
        };
        args.Workers.For(_tiling.Count, ref body);
    }

    private struct Body : IParallelBody
    {
        public GemmKernel Kernel;
        public float* A, B, C, Y;
        public GemmEpilogue Epilogue;
        public ScratchSlots Slots;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            var spec = new GemmTileSpec { C = Y, Ldc = k._n, Epilogue = Epilogue, CopyA = k._copyA };
            k._tiling.Bounds(index, k._m, k._n, ref spec);
            if (k._biasForm == BiasForm.Prefill)
            {
                Prefill(spec);
                spec.AccumulateFirst = true;
            }
            var rows = new DenseRows(A, k._lda);
            if (k._packedB != null)
            {
                GemmDriver.ComputeTile(k._isa, rows, new PrePackedPanels(k._packedB, GemmLayout.PadColumns(k._n)), k._kStarts, null, spec);
                return;
            }
            int slot = Slots.Claim();
            try
            {
                float* s = Slots.Slot(slot);
                if (k._transB)
                    GemmDriver.ComputeTile(k._isa, rows, new TransposedPanels(B, k._k, k._n, k._alpha), k._kStarts, s, spec);
                else
                    GemmDriver.ComputeTile(k._isa, rows, new RowMajorPanels(B, k._n, k._n, k._alpha), k._kStarts, s, spec);
            }
            finally
            {
                Slots.Release(slot);
            }
        }

        /// <summary>Y tile = beta * broadcast(C), for C forms the epilogue cannot take directly.</summary>
        private readonly void Prefill(in GemmTileSpec s)
        {
            var k = Kernel;
            for (int i = s.M0; i < s.M1; i++)
            {
                float* cRow = C + (k._cRows == 1 ? 0 : (long)i * k._cColumns);
                float* y = Y + (long)i * k._n;
                for (int j = s.N0; j < s.N1; j++) y[j] = k._beta * cRow[k._cColumns == 1 ? 0 : j];
            }
        }
    }
}
