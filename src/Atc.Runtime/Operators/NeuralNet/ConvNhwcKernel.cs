using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Channels-last convolution as GEMM per group: Y[pixels, O/g] = A[pixels, K] x W'[K, O/g], with A read in place
/// (the input itself for 1x1 stride-1 convs, else an indirect GEMM over kernel taps: no im2col copy) and the
/// weights packed once into panels. Bias (per column), residual and activation run in the epilogue.
/// With few input channels (a first layer: 3) a tap is too short a K run, so the input is first copied into a
/// zero-padded image in scratch; then the kernel's whole width is one contiguous run per tap row and no tap needs
/// a bounds check.
/// </summary>
internal sealed unsafe class ConvNhwcKernel : IMappedActivationKernel
{
    private readonly ConvSetup _setup;
    private readonly Isa _isa;
    private readonly float* _packed;              // every group, _packedGroupFloats apart, when the weights are constant
    private readonly AlignedBuffer? _packedOwner; // null when _packed points into the loaded model
    private readonly AlignedBuffer _zeros;
    private readonly int[] _kStarts;
    private readonly bool _pointwise;
    private readonly bool _copyA;
    private readonly GemmTiling _tiling;
    private readonly long _packedGroupFloats;
    private readonly ConvGeometry _rowsGeometry;  // the geometry the indirect rows walk (the padded image's, if any)
    private readonly int _channelsPerTap;
    private readonly long _paddedImageFloats;     // 0 unless the input is padded in advance
    private readonly ConvRowBands? _bands;         // output rows whose padding covers whole kernel rows, if worth it

    public ConvNhwcKernel(ConvSetup setup, ConstantWeights? weights, Isa isa)
    {
        _setup = setup;
        _isa = isa;
        var g = setup.Geometry;
        int cg = g.InChannelsPerGroup, og = g.OutChannelsPerGroup;
        int k = cg * g.KernelSize;
        _pointwise = g.IsPointwise;
        _rowsGeometry = g;
        _channelsPerTap = cg;
        if (!_pointwise && g.Groups == 1 && cg < 16 && g.DW == 1)
        {
            _rowsGeometry = PaddedGeometry(g);
            _channelsPerTap = g.KW * cg;
            _paddedImageFloats = (long)_rowsGeometry.InPixels * g.InChannels;
        }
        _kStarts = _pointwise ? GemmLayout.UniformKBlocks(cg) : IndirectConvRows.KBlocks(_rowsGeometry.KernelSize, _channelsPerTap);
        if (!_pointwise && _paddedImageFloats == 0 && ConvRowBands.Plan(g) is { } bands)
        {
            _bands = bands;
            _kStarts = bands.KStarts;
        }
        _copyA = _pointwise ? GemmDriver.ShouldCopyA(g.InChannels) : GemmDriver.ShouldCopyA(g.InChannels, Math.Min(_channelsPerTap, GemmLayout.KcMax));
        _zeros = new AlignedBuffer(Math.Max(cg, 1));
        _packedGroupFloats = GemmLayout.PackedLength(k, og);
        _tiling = GemmTiling.Plan(g.Groups, g.Batch * g.OutPixels, og, k, GemmLayout.RowTile(isa), GemmTiling.MaxTileNPrePacked);
        if (weights is not null)
        {
            string key = PrepackedWeights.Key("gemm-panels/v1", ("src", "conv-o.c.taps"), ("k", k), ("n", og),
                ("kblocks", _kStarts), ("groups", g.Groups));
            var packed = weights.Acquire(key, g.Groups * _packedGroupFloats, (w, dst) => PackGroups(w, dst));
            _packed = packed.Pointer;
            _packedOwner = packed.Owner;
        }
    }

    /// <summary>Packs the weights of every group, one after the other.</summary>
    private void PackGroups(float* w, float* dst)
    {
        var g = _setup.Geometry;
        int padded = GemmLayout.PadColumns(g.OutChannelsPerGroup);
        for (int group = 0; group < g.Groups; group++)
        {
            var source = WeightPanels(w, group);
            for (int kb = 0; kb + 1 < _kStarts.Length; kb++)
            {
                int k0 = _kStarts[kb];
                source.Block(k0, _kStarts[kb + 1] - k0, 0, g.OutChannelsPerGroup, dst + group * _packedGroupFloats + (long)k0 * padded);
            }
        }
    }

    /// <summary>The input as a zero-padded image that every tap stays inside, with the kernel width merged into taps.</summary>
    private static ConvGeometry PaddedGeometry(ConvGeometry g) => g with
    {
        InD = Math.Max(g.InD + g.PD, (g.OutD - 1) * g.SD + (g.KD - 1) * g.DD + 1),
        InH = Math.Max(g.InH + g.PH, (g.OutH - 1) * g.SH + (g.KH - 1) * g.DH + 1),
        InW = Math.Max(g.InW + g.PW, (g.OutW - 1) * g.SW + g.KW),
        PD = 0, PH = 0, PW = 0,
        KW = 1,
    };

    /// <summary>The GEMM driver runs the mapped activation per row tile (<see cref="GemmEpilogue.Map"/>).</summary>
    public bool AppliesMappedActivation => true;

    private long RuntimeWeightBytes => _packed == null ? _setup.Geometry.Groups * _packedGroupFloats * sizeof(float) + 64 : 0;

    public long ScratchBytes => RuntimeWeightBytes + (_paddedImageFloats > 0 ? _setup.Geometry.Batch * _paddedImageFloats * sizeof(float) + 64 : 0);

    /// <summary>Copies every image into the zero-padded layout of <see cref="_rowsGeometry"/>.</summary>
    private void Pad(float* x, float* padded)
    {
        var g = _setup.Geometry;
        var p = _rowsGeometry;
        int c = g.InChannels;
        new Span<float>(padded, checked((int)(g.Batch * _paddedImageFloats))).Clear();
        for (int n = 0; n < g.Batch; n++)
            for (int d = 0; d < g.InD; d++)
                for (int h = 0; h < g.InH; h++)
                {
                    float* src = x + (((long)n * g.InD + d) * g.InH + h) * g.InW * c;
                    float* dst = padded + ((((long)n * p.InD + d + g.PD) * p.InH + h + g.PH) * p.InW + g.PW) * c;
                    new ReadOnlySpan<float>(src, g.InW * c).CopyTo(new Span<float>(dst, g.InW * c));
                }
    }

    private ConvWeightPanels WeightPanels(float* w, int group)
    {
        var g = _setup.Geometry;
        return new ConvWeightPanels(w + (long)group * g.OutChannelsPerGroup * g.InChannelsPerGroup * g.KernelSize,
            g.InChannelsPerGroup, g.KernelSize, g.OutChannelsPerGroup);
    }

    public void Run(in KernelArgs args)
    {
        ConvIntoSliceKernel.CopyInto(args, _setup);
        Run((float*)args.Inputs[0], (float*)args.Inputs[1],
            _setup.HasBias ? (float*)args.Inputs[2] : null, _setup.HasResidual ? (float*)args.Inputs[3] : null,
            (float*)args.Outputs[0] + _setup.Slice.Offset, args.Scratch, args.Workers);
    }

    /// <summary>Runs on raw pointers (also used by the channels-first kernel on transposed images); <paramref name="y"/>
    /// is the first channel of the slice the conv writes.</summary>
    internal void Run(float* x, float* w, float* bias, float* residual, float* y, nint scratch, IWorkerPool workers)
    {
        var g = _setup.Geometry;
        float* packed = _packed;
        if (_packed == null)
        {
            // Weights known only at run time: pack every group into scratch first.
            packed = (float*)((scratch + 63) & ~(nint)63);
            PackGroups(w, packed);
        }
        if (_paddedImageFloats > 0)
        {
            float* padded = (float*)((scratch + (nint)RuntimeWeightBytes + 63) & ~(nint)63);
            Pad(x, padded);
            x = padded;
        }
        var body = new Body
        {
            Kernel = this,
            X = x,
            Packed = packed,
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
        public float* X, Packed, Bias, Residual, Y;
        public GemmEpilogue Epilogue;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            var g = k._setup.Geometry;
            int tile = index % k._tiling.Count, group = index / k._tiling.Count;
            int og = g.OutChannelsPerGroup;
            var spec = new GemmTileSpec { C = Y + group * og, Ldc = k._setup.Slice.Total, CopyA = k._copyA, Epilogue = Epilogue };
            if (Bias != null) spec.Epilogue.ColumnBias = Bias + group * og;
            if (Residual != null)
            {
                spec.Epilogue.Residual = Residual + group * og;
                spec.Epilogue.ResidualStride = g.OutChannels;
            }
            k._tiling.Bounds(tile, g.Batch * g.OutPixels, og, ref spec);
            float* packed = Packed + group * k._packedGroupFloats;
            var b = new PrePackedPanels(packed, GemmLayout.PadColumns(og));
            if (k._pointwise)
                GemmDriver.ComputeTile(k._isa, new DenseRows(X + group * g.InChannelsPerGroup, g.InChannels), b, k._kStarts, null, spec);
            else if (k._bands is null)
                GemmDriver.ComputeTile(k._isa, IndirectConvRows.Create(k._rowsGeometry, X, k._zeros.Pointer, group, k._channelsPerTap), b, k._kStarts, null, spec);
            else
                ComputeBands(k, IndirectConvRows.Create(k._rowsGeometry, X, k._zeros.Pointer, group, k._channelsPerTap), b, spec);
        }

        /// <summary>The tile's rows cut where the band of output rows changes, each part over its band's K blocks.</summary>
        private static void ComputeBands(ConvNhwcKernel k, in IndirectConvRows a, in PrePackedPanels b, GemmTileSpec spec)
        {
            var g = k._setup.Geometry;
            int end = spec.M1;
            for (int m = spec.M0; m < end;)
            {
                int image = m / g.OutPixels, row = m / g.OutW % g.OutH;
                var band = k._bands!.BandOf(row);
                spec.M0 = m;
                spec.M1 = Math.Min(end, (image * g.OutH + band.EndRow) * g.OutW);
                GemmDriver.ComputeTile(k._isa, a, b, band.KStarts, null, spec);
                m = spec.M1;
            }
        }
    }
}
