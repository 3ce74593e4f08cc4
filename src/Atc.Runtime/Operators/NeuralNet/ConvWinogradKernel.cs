using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Channels-last 3x3 stride-1 convolution by Winograd F(4x4, 3x3) (4x fewer multiply-adds than the direct GEMM) or,
/// on small maps, F(2x2, 3x3) (2.25x; see <see cref="WinogradTile"/>). A task takes a block of output tiles and a
/// block of output channels: it transforms the tiles' input windows into V [points][tiles][C] in its own scratch,
/// runs one GEMM M_e = V_e x U_e per point on the GEMM micro-kernels (U = G g G^T packed once from the constant
/// weights), and transforms M back into Y with bias, residual and activation. V and M are sized to stay in L2
/// between the three steps. Results do not depend on the thread count: every element is computed the same way
/// whatever task computes it.
/// </summary>
internal sealed unsafe class ConvWinogradKernel : IMappedActivationKernel
{
    private readonly ConvSetup _setup;
    private readonly WinogradTile _tile;
    private readonly Isa _isa;
    private readonly AlignedBuffer _u;
    private readonly long _pointFloats;
    private readonly AlignedBuffer _zeros;
    private readonly int[] _kStarts;
    private readonly int _tilesH, _tilesW, _tiles;
    /// <summary>Task plans for one thread and for several (chosen per call by the pool's thread count).</summary>
    private readonly WinogradTaskPlan _single, _parallel;
    private readonly bool _copyA;
    private readonly long _slotBytes;
    private readonly int _slots;

    /// <summary>Fewer channels make the GEMMs too short to pay for the transforms.</summary>
    private const int MinChannels = 16;
    /// <summary>
    /// F(4x4)'s rounding error grows with the channels summed: measured max |error| / max |result| 2-6e-6 up to 70
    /// input channels, 8e-6 at 600 (F(2x2): 2e-7 and 6e-7). Above this, F(2x2) keeps within 1e-5.
    /// </summary>
    private const int MaxChannelsF4 = 512;

    /// <summary>Whether this kernel computes the conv: 3x3, stride 1, no dilation, one group, 2-D, channels-last.</summary>
    public static bool Supports(ConvGeometry g) =>
        g.ChannelsLast && g.Groups == 1 && g.KD == 1 && g.InD == 1 && g.OutD == 1 && g.PD == 0
        && g.KH == 3 && g.KW == 3 && g.SH == 1 && g.SW == 1 && g.DH == 1 && g.DW == 1;

    /// <summary>
    /// The Winograd variant that beats the direct GEMM for this conv, or null. Single-thread timings on AVX-512
    /// with cold weights (3x3 convs of ResNet and SqueezeNet, 4x4 to 56x56 maps, 16 to 512 channels): F(4x4) is
    /// 1.5-2.8x faster than direct from 10x10 maps up (F(2x2) equal or slower there); on 4x4 to 7x7 maps F(4x4)'s
    /// few tiles are mostly padding and its 4x larger weights stream from memory, while F(2x2) is still 1.2-1.5x
    /// faster than direct. Smaller maps, or fewer than 16 channels (short GEMMs), stay direct; more than 512 input
    /// channels take F(2x2) for accuracy.
    /// </summary>
    public static WinogradTile? Choose(ConvGeometry g)
    {
        if (!Supports(g) || g.InChannels < MinChannels || g.OutChannels < MinChannels) return null;
        int side = Math.Min(g.OutH, g.OutW);
        if (side >= 8 && g.InChannels <= MaxChannelsF4) return WinogradTile.F4;
        if (side >= 8) return WinogradTile.F2;
        return side >= 4 ? WinogradTile.F2 : null;
    }

    public ConvWinogradKernel(ConvSetup setup, ConstantWeights weights, Isa isa, WinogradTile tile)
    {
        var g = setup.Geometry;
        if (!Supports(g)) throw new ArgumentException("not a 3x3 stride-1 channels-last convolution", nameof(setup));
        _setup = setup;
        _isa = isa;
        _tile = tile;
        int cin = g.InChannels, cout = g.OutChannels;
        _kStarts = GemmLayout.UniformKBlocks(cin);
        _pointFloats = WinogradWeights.PointFloats(cin, cout);
        // U is computed here rather than stored prepacked in the model: it is 4x (F(4x4)) or 16/9 (F(2x2)) the
        // weights' size, which would double a ResNet's file (97 MB against 47 MB for ResNet-18). The model stores
        // the weights as they are, under this kernel's key, so they are used in place and not stored twice.
        long weightFloats = (long)cout * cin * 9;
        var source = weights.Acquire(WinogradWeights.SourceKey(cin, cout), weightFloats,
            (raw, dst) => Buffer.MemoryCopy(raw, dst, weightFloats * sizeof(float), weightFloats * sizeof(float)));
        // Transformed once per model: every gear of the model shares U (it is 16/9 to 4x the weights' size).
        long uFloats = WinogradWeights.PackedFloats(tile, cin, cout);
        void Transform(AlignedBuffer u)
        {
            WinogradWeights.TransformAndPack(tile, source.Pointer, cin, cout, _kStarts, u.Pointer);
            GC.KeepAlive(source.Owner);
        }
        string uKey = PrepackedWeights.Key("winograd-u/v1", ("tile", tile.Output), ("cin", cin), ("cout", cout), ("kblocks", _kStarts));
        if (weights.Context.Derived is { } derived) _u = derived.GetOrCreate(uKey, uFloats, Transform);
        else Transform(_u = new AlignedBuffer(uFloats));
        _zeros = new AlignedBuffer(cin);
        _tilesH = (g.OutH + _tile.Output - 1) / _tile.Output;
        _tilesW = (g.OutW + _tile.Output - 1) / _tile.Output;
        _tiles = g.Batch * _tilesH * _tilesW;

        int quantum = GemmLayout.RowTile(isa);
        _single = WinogradTaskPlan.Create(tile, _tiles, cin, cout, quantum, minTasks: 4, splitTiles: false);
        // Several threads: about three tasks per processor, so the dynamic scheduling evens out unequal blocks.
        _parallel = WinogradTaskPlan.Create(tile, _tiles, cin, cout, quantum, minTasks: 3 * Environment.ProcessorCount, splitTiles: true);
        _copyA = GemmDriver.ShouldCopyA(_single.Ldv);
        _slotBytes = Math.Max(_single.SlotBytes(tile), _parallel.SlotBytes(tile));
        _slots = ScratchSlots.DefaultCount(Math.Max(_single.Tasks, _parallel.Tasks));
    }

    /// <summary>Each output tile runs the mapped activation right after its output transform.</summary>
    public bool AppliesMappedActivation => true;

    public long ScratchBytes => ScratchSlots.Bytes(_slots, _slotBytes);

    public void Run(in KernelArgs args)
    {
        ConvIntoSliceKernel.CopyInto(args, _setup);
        var plan = args.Workers.ThreadCount > 1 ? _parallel : _single;
        var body = new Body
        {
            Kernel = this,
            Plan = plan,
            X = (float*)args.Inputs[0],
            Bias = _setup.HasBias ? (float*)args.Inputs[2] : null,
            Residual = _setup.HasResidual ? (float*)args.Inputs[3] : null,
            Y = (float*)args.Outputs[0],
            Slots = ScratchSlots.Create(args.Scratch, _slots, _slotBytes),
        };
        args.Workers.For(plan.Tasks, ref body);
    }

    private struct Body : IParallelBody
    {
        public ConvWinogradKernel Kernel;
        public WinogradTaskPlan Plan;
        public float* X, Bias, Residual, Y;
        public ScratchSlots Slots;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            var p = Plan;
            int t0 = index / p.ColumnBlocks * p.TilesPerTask;
            int count = Math.Min(p.TilesPerTask, k._tiles - t0);
            int n0 = index % p.ColumnBlocks * p.ColumnsPerTask;
            int n1 = Math.Min(k._setup.Geometry.OutChannels, n0 + p.ColumnsPerTask);
            int slot = Slots.Claim();
            try
            {
                float* v = Slots.Slot(slot);
                float* m = v + (long)k._tile.Points * p.VPointStride;
                k.TransformInput(p, X, t0, count, v);
                k.Multiply(p, v, count, n0, n1, m);
                k.TransformOutput(p, m, t0, count, n0, n1, Bias, Residual, Y);
            }
            finally
            {
                Slots.Release(slot);
            }
        }
    }

    /// <summary>V[e][t][c] for tiles [t0, t0+count): each tile's 6x6 window, zeros outside the image.</summary>
    private void TransformInput(in WinogradTaskPlan plan, float* x, int t0, int count, float* v)
    {
        var g = _setup.Geometry;
        float** pixels = stackalloc float*[WinogradTile.MaxPoints];
        nint pointStride = plan.VPointStride;
        for (int t = 0; t < count; t++)
        {
            var (image, h0, w0) = TileOrigin(t0 + t);
            h0 -= g.PH;
            w0 -= g.PW;
            for (int a = 0; a < _tile.Input; a++)
                for (int b = 0; b < _tile.Input; b++)
                {
                    int ih = h0 + a, iw = w0 + b;
                    pixels[a * _tile.Input + b] = (uint)ih < (uint)g.InH && (uint)iw < (uint)g.InW
                        ? x + (((long)image * g.InH + ih) * g.InW + iw) * g.InChannels
                        : _zeros.Pointer;
                }
            WinogradInputTransform.Run(_isa, _tile, pixels, g.InChannels, v + (long)t * plan.Ldv, pointStride);
        }
    }

    /// <summary>M_e[t][n] = V_e[t][:] x U_e[:, n0..n1) for the 36 points.</summary>
    private void Multiply(in WinogradTaskPlan plan, float* v, int count, int n0, int n1, float* m)
    {
        int padded = GemmLayout.PadColumns(_setup.Geometry.OutChannels);
        nint vStride = plan.VPointStride, mStride = plan.MPointStride;
        for (int e = 0; e < _tile.Points; e++)
        {
            // C is addressed from column 0 of U, so shift it back by n0 to land the block at M's column 0.
            var spec = new GemmTileSpec
            {
                M0 = 0, M1 = count, N0 = n0, N1 = n1,
                C = m + e * mStride - n0,
                Ldc = plan.Ldm,
                CopyA = _copyA,
                Epilogue = GemmEpilogue.None,
            };
            GemmDriver.ComputeTile(_isa, new DenseRows(v + e * vStride, plan.Ldv),
                new PrePackedPanels(_u.Pointer + e * _pointFloats, padded), _kStarts, null, spec);
        }
    }

    /// <summary>Y for tiles [t0, t0+count) and channels [n0, n1) from M.</summary>
    private void TransformOutput(in WinogradTaskPlan plan, float* m, int t0, int count, int n0, int n1, float* bias, float* residual, float* y)
    {
        var g = _setup.Geometry;
        nint pointStride = plan.MPointStride;
        // Y's pixels are Slice.Total channels apart (more than O when the conv writes a slice of a Concat); a
        // residual (never combined with a slice) has Y's own layout.
        var slice = _setup.Slice;
        nint pixelStride = slice.Total, rowStride = (nint)g.OutW * slice.Total;
        for (int t = 0; t < count; t++)
        {
            var (image, h0, w0) = TileOrigin(t0 + t);
            long pixel = ((long)image * g.OutH + h0) * g.OutW + w0;
            var tile = new WinogradOutputTile
            {
                Y = y + pixel * slice.Total + slice.Offset + n0,
                Residual = residual == null ? null : residual + pixel * g.OutChannels + n0,
                Bias = bias == null ? null : bias + n0,
                PixelStride = pixelStride,
                RowStride = rowStride,
                Rows = Math.Min(_tile.Output, g.OutH - h0),
                Columns = Math.Min(_tile.Output, g.OutW - w0),
                Activation = _setup.Activation,
            };
            WinogradOutputTransform.Run(_isa, _tile, m + (long)t * plan.Ldm, pointStride, n1 - n0, tile);
            // The tile's pixels were just written: run the mapped activation on their channel runs while in L1.
            if (_setup.Activation.Map is { } map)
                for (int r = 0; r < tile.Rows; r++) BlockActivation.Apply(map, tile.Y + r * rowStride, tile.Columns, n1 - n0, pixelStride);
        }
    }

    /// <summary>Image and first output pixel (row, column) of tile <paramref name="tile"/>.</summary>
    private (int Image, int Row, int Column) TileOrigin(int tile)
    {
        int perImage = _tilesH * _tilesW;
        int image = tile / perImage, r = tile % perImage;
        return (image, r / _tilesW * _tile.Output, r % _tilesW * _tile.Output);
    }
}
