using Atc.Runtime.Kernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Channels-last convolution as GEMM per group: Y[pixels, O/g] = A[pixels, K] x W'[K, O/g], with A read in place
/// (the input itself for 1x1 stride-1 convs, else an indirect GEMM over kernel taps: no im2col copy) and the
/// weights packed once into panels. Bias (per column), residual and activation run in the epilogue.
/// </summary>
internal sealed unsafe class ConvNhwcKernel : IKernel
{
    private readonly ConvSetup _setup;
    private readonly Isa _isa;
    private readonly AlignedBuffer[]? _packed;   // per group, when the weights are constant
    private readonly AlignedBuffer _zeros;
    private readonly int[] _kStarts;
    private readonly bool _pointwise;
    private readonly bool _copyA;
    private readonly GemmTiling _tiling;
    private readonly long _packedGroupFloats;

    public ConvNhwcKernel(ConvSetup setup, float[]? weights, Isa isa)
    {
        _setup = setup;
        _isa = isa;
        var g = setup.Geometry;
        int cg = g.InChannelsPerGroup, og = g.OutChannelsPerGroup;
        int k = cg * g.KernelSize;
        _pointwise = g.IsPointwise;
        _kStarts = _pointwise ? GemmLayout.UniformKBlocks(cg) : IndirectConvRows.KBlocks(g.KernelSize, cg);
        _copyA = _pointwise ? GemmDriver.ShouldCopyA(g.InChannels) : GemmDriver.ShouldCopyA(g.InChannels, Math.Min(cg, GemmLayout.KcMax));
        _zeros = new AlignedBuffer(Math.Max(cg, 1));
        _packedGroupFloats = GemmLayout.PackedLength(k, og);
        _tiling = GemmTiling.Plan(g.Groups, g.Batch * g.OutPixels, og, k, GemmLayout.RowTile(isa), GemmTiling.MaxTileNPrePacked);
        if (weights is not null)
        {
            _packed = new AlignedBuffer[g.Groups];
            fixed (float* w = weights)
                for (int group = 0; group < g.Groups; group++)
                    _packed[group] = PanelPacking.PackAll(WeightPanels(w, group), _kStarts, og);
        }
    }

    public long ScratchBytes => _packed is null ? _setup.Geometry.Groups * _packedGroupFloats * sizeof(float) + 64 : 0;

    private ConvWeightPanels WeightPanels(float* w, int group)
    {
        var g = _setup.Geometry;
        return new ConvWeightPanels(w + (long)group * g.OutChannelsPerGroup * g.InChannelsPerGroup * g.KernelSize,
            g.InChannelsPerGroup, g.KernelSize, g.OutChannelsPerGroup);
    }

    public void Run(in KernelArgs args) => Run((float*)args.Inputs[0], (float*)args.Inputs[1],
        _setup.HasBias ? (float*)args.Inputs[2] : null, _setup.HasResidual ? (float*)args.Inputs[3] : null,
        (float*)args.Outputs[0], args.Scratch, args.Workers);

    /// <summary>Runs on raw pointers (also used by the channels-first kernel on transposed images).</summary>
    internal void Run(float* x, float* w, float* bias, float* residual, float* y, nint scratch, IWorkerPool workers)
    {
        var g = _setup.Geometry;
        float* packed = null;
        if (_packed is null)
        {
            // Weights known only at run time: pack every group into scratch first.
            packed = (float*)((scratch + 63) & ~(nint)63);
            for (int group = 0; group < g.Groups; group++)
            {
                float* dst = packed + group * _packedGroupFloats;
                var source = WeightPanels(w, group);
                for (int kb = 0; kb + 1 < _kStarts.Length; kb++)
                {
                    int k0 = _kStarts[kb];
                    source.Block(k0, _kStarts[kb + 1] - k0, 0, g.OutChannelsPerGroup, dst + (long)k0 * GemmLayout.PadColumns(g.OutChannelsPerGroup));
                }
            }
        }
        var body = new Body
        {
            Kernel = this,
            X = x,
            RuntimePacked = packed,
            Bias = bias,
            Residual = residual,
            Y = y,
            Epilogue = GemmEpilogue.Create(_setup.Activation),
        };
        workers.For(g.Groups * _tiling.Count, ref body);
    }

    private struct Body : IParallelBody
    {
        public ConvNhwcKernel Kernel;
        public float* X, RuntimePacked, Bias, Residual, Y;
        public GemmEpilogue Epilogue;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            var g = k._setup.Geometry;
            int tile = index % k._tiling.Count, group = index / k._tiling.Count;
            int og = g.OutChannelsPerGroup;
            var spec = new GemmTileSpec { C = Y + group * og, Ldc = g.OutChannels, CopyA = k._copyA, Epilogue = Epilogue };
            if (Bias != null) spec.Epilogue.ColumnBias = Bias + group * og;
            if (Residual != null)
            {
                spec.Epilogue.Residual = Residual + group * og;
                spec.Epilogue.ResidualStride = g.OutChannels;
            }
            k._tiling.Bounds(tile, g.Batch * g.OutPixels, og, ref spec);
            float* packed = k._packed is null ? RuntimePacked + group * k._packedGroupFloats : k._packed[group].Pointer;
            var b = new PrePackedPanels(packed, GemmLayout.PadColumns(og));
            if (k._pointwise)
                GemmDriver.ComputeTile(k._isa, new DenseRows(X + group * g.InChannelsPerGroup, g.InChannels), b, k._kStarts, null, spec);
            else
                GemmDriver.ComputeTile(k._isa, IndirectConvRows.Create(g, X, k._zeros.Pointer, group), b, k._kStarts, null, spec);
        }
    }
}
