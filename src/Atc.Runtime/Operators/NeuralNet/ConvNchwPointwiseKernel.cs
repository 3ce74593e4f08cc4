using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Channels-first 1x1 stride-1 convolution as GEMM per image and group: Y[O/g, pixels] = W[O/g, C/g] x X[C/g, pixels]
/// with bias (per row), residual and activation in the epilogue. Constant weights are copied once (row stride
/// chosen to avoid L1 set conflicts); each task packs its own block of X into a scratch slot, so scratch stays
/// bounded whatever the image size.
/// </summary>
internal sealed unsafe class ConvNchwPointwiseKernel : IMappedActivationKernel
{
    private readonly ConvSetup _setup;
    private readonly Isa _isa;
    private readonly float* _weights;              // [O, _lda] when constant
    private readonly AlignedBuffer? _weightsOwner;  // null when _weights points into the loaded model
    private readonly int _lda;
    private readonly bool _copyA;
    private readonly int[] _kStarts;
    private readonly GemmTiling _tiling;
    private readonly int _tasks;
    private readonly int _slots;
    private readonly long _slotBytes;

    public ConvNchwPointwiseKernel(ConvSetup setup, ConstantWeights? weights, Isa isa)
    {
        _setup = setup;
        _isa = isa;
        var g = setup.Geometry;
        int k = g.InChannelsPerGroup * g.KernelSize;
        bool aliasing = GemmDriver.ShouldCopyA(k);
        if (weights is not null)
        {
            int lda = _lda = aliasing ? k + 16 : k;
            string key = PrepackedWeights.Key("rows/v1", ("src", "conv-o.c"), ("rows", g.OutChannels), ("k", k), ("lda", lda));
            var packed = weights.Acquire(key, (long)g.OutChannels * lda, (w, dst) =>
            {
                for (int o = 0; o < g.OutChannels; o++)
                {
                    new ReadOnlySpan<float>(w + (long)o * k, k).CopyTo(new Span<float>(dst + (long)o * lda, k));
                    new Span<float>(dst + (long)o * lda + k, lda - k).Clear();
                }
            });
            _weights = packed.Pointer;
            _weightsOwner = packed.Owner;
        }
        else
        {
            _lda = k;
            _copyA = aliasing;
        }
        _kStarts = GemmLayout.UniformKBlocks(k);
        _tiling = GemmTiling.Plan((long)g.Batch * g.Groups, g.OutChannelsPerGroup, g.OutPixels, k,
            GemmLayout.RowTile(isa), GemmTiling.MaxTileNPackedPerTask);
        _tasks = g.Batch * g.Groups * _tiling.Count;
        _slots = ScratchSlots.DefaultCount(_tasks);
        _slotBytes = (long)GemmLayout.KcMax * _tiling.TileN * sizeof(float);
    }

    /// <summary>The GEMM driver runs the mapped activation per row tile (<see cref="GemmEpilogue.Map"/>).</summary>
    public bool AppliesMappedActivation => true;

    public long ScratchBytes => ScratchSlots.Bytes(_slots, _slotBytes);

    public void Run(in KernelArgs args)
    {
        var body = new Body
        {
            Kernel = this,
            X = (float*)args.Inputs[0],
            W = _weights == null ? (float*)args.Inputs[1] : _weights,
            Bias = _setup.HasBias ? (float*)args.Inputs[2] : null,
            Residual = _setup.HasResidual ? (float*)args.Inputs[3] : null,
            Y = (float*)args.Outputs[0],
            Slots = ScratchSlots.Create(args.Scratch, _slots, _slotBytes),
            Epilogue = GemmEpilogue.Create(_setup.Activation),
        };
        args.Workers.For(_tasks, ref body);
    }

    private struct Body : IParallelBody
    {
        public ConvNchwPointwiseKernel Kernel;
        public float* X, W, Bias, Residual, Y;
        public ScratchSlots Slots;
        public GemmEpilogue Epilogue;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            var g = k._setup.Geometry;
            int tile = index % k._tiling.Count;
            int imageGroup = index / k._tiling.Count;
            int group = imageGroup % g.Groups, n = imageGroup / g.Groups;
            int og = g.OutChannelsPerGroup;
            long outOffset = ((long)n * g.OutChannels + (long)group * og) * g.OutPixels;
            float* groupInput = X + ((long)n * g.InChannels + (long)group * g.InChannelsPerGroup) * g.InPixels;

            var spec = new GemmTileSpec { C = Y + outOffset, Ldc = g.OutPixels, CopyA = k._copyA, Epilogue = Epilogue };
            if (Bias != null) spec.Epilogue.RowBias = Bias + group * og;
            if (Residual != null)
            {
                spec.Epilogue.Residual = Residual + outOffset;
                spec.Epilogue.ResidualStride = g.OutPixels;
            }
            k._tiling.Bounds(tile, og, g.OutPixels, ref spec);

            var a = new DenseRows(W + (long)group * og * k._lda, k._lda);
            int slot = Slots.Claim();
            try
            {
                var b = new RowMajorPanels(groupInput, g.InPixels, g.OutPixels, 1f);
                GemmDriver.ComputeTile(k._isa, a, b, k._kStarts, Slots.Slot(slot), spec);
            }
            finally
            {
                Slots.Release(slot);
            }
        }
    }
}
