using System.Runtime.Intrinsics;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Channels-last convolution whose groups have few output channels — grouped convs (RegNet's group width 8) and
/// convs with few outputs (one group of 16) — as one direct kernel over every group (<see
/// cref="NarrowGroupKernel{TOps,TVec,TPixels,TBlock}"/>) instead of a small GEMM per group. The weights are packed
/// once as [group][block][KH][KW][C/group][block lanes] (a block: at most 16 of a group's output channels, a
/// multiple of 4 lanes, zero past the group's channels), a layout that does not depend on the instruction set; the
/// vector width is the widest that divides the block. The input is copied into a zero-padded image first, so every
/// tap of every tile is inside it (any padding, stride and dilation). Tasks are runs of output rows, all groups;
/// within a row, each tile of pixels runs through a chunk of groups whose weights fit in L1.
/// </summary>
[System.Runtime.CompilerServices.SkipLocalsInit]
internal sealed unsafe class ConvNarrowGroupKernel : IKernel
{
    /// <summary>Most output channels in one block: one AVX-512 vector, two AVX2 vectors.</summary>
    public const int MaxBlockLanes = 16;

    private const long MinWorkPerTask = 1 << 17;   // multiply-adds
    private const long ChunkWeightBytes = 16 << 10;  // weights of the groups one pixel tile runs through (L1-resident)

    private readonly ConvSetup _setup;
    private readonly Isa _isa;
    private readonly float* _weights;
    private readonly AlignedBuffer? _weightsOwner;   // null when the weights are a blob of the loaded model
    private readonly int _blockLanes, _blocksPerGroup, _vectorLanes;
    private readonly int _paddedH, _paddedW;
    private readonly long _paddedImageFloats, _slackFloats;
    private readonly int _tasks;
    private readonly int _groupsPerChunk, _tilePixels;
    // AVX-512 with groups of 8 (4) channels: 2 (4) groups per vector (NarrowGroupPairs512), 0 otherwise.
    private readonly int _groupsPerVector;
    private readonly AlignedBuffer? _interleavedWeights;
    private readonly Vector512<int> _toChannelOrder, _toInterleaved;

    /// <summary>Channels-last 1-D/2-D convs with constant weights (the rest of the choice is <see cref="ConvKernelCostModel"/>).</summary>
    public static bool Supports(ConvGeometry g, bool constantWeights) =>
        constantWeights && g.ChannelsLast && g.KD == 1 && g.InD == 1 && g.OutD == 1 && g.OutPixels > 0 && g.Batch > 0
        && g.InChannelsPerGroup > 0 && g.OutChannelsPerGroup > 0;

    /// <summary>Lanes of a block for a group of <paramref name="outPerGroup"/> output channels: a multiple of 4, at most 16.</summary>
    public static int BlockLanes(int outPerGroup) => Math.Min(MaxBlockLanes, (outPerGroup + 3) & ~3);

    public ConvNarrowGroupKernel(ConvSetup setup, ConstantWeights weights, Isa isa)
    {
        _setup = setup;
        _isa = isa;
        var g = setup.Geometry;
        int og = g.OutChannelsPerGroup;
        _blockLanes = BlockLanes(og);
        _blocksPerGroup = (og + _blockLanes - 1) / _blockLanes;
        int isaLanes = isa switch { Isa.Avx512 => Vector512<float>.Count, Isa.Avx2 => Vector256<float>.Count, _ => Vector128<float>.Count };
        _vectorLanes = _blockLanes % isaLanes == 0 ? isaLanes : _blockLanes % 8 == 0 ? Math.Min(8, isaLanes) : 4;
        _paddedH = Math.Max(g.InH + g.PH, (g.OutH - 1) * g.SH + (g.KH - 1) * g.DH + 1);
        _paddedW = Math.Max(g.InW + g.PW, (g.OutW - 1) * g.SW + (g.KW - 1) * g.DW + 1);
        _paddedImageFloats = (long)_paddedH * _paddedW * g.InChannels;
        // A row's last tile computes up to 7 pixels past the row: their taps may read past the last image.
        _slackFloats = 8L * g.SW * g.InChannels + g.InChannels;

        long floats = (long)g.Groups * _blocksPerGroup * g.KernelSize * g.InChannelsPerGroup * _blockLanes;
        string key = PrepackedWeights.Key("conv-narrow-groups/v1", ("o", g.OutChannels), ("c", g.InChannelsPerGroup),
            ("groups", g.Groups), ("kh", g.KH), ("kw", g.KW), ("lanes", _blockLanes));
        var packed = weights.Acquire(key, floats, Pack);
        _weights = packed.Pointer;
        _weightsOwner = packed.Owner;

        // Two vectors x 8 pixels need 16 accumulators: only AVX-512 has the 32 registers for them.
        bool pairs = _blockLanes >= 2 * _vectorLanes && og > _vectorLanes;
        _tilePixels = pairs && isa != Isa.Avx512 ? 6 : 8;
        long groupWeightBytes = (long)_blocksPerGroup * g.KernelSize * g.InChannelsPerGroup * _blockLanes * sizeof(float);
        _groupsPerChunk = (int)Math.Clamp(ChunkWeightBytes / groupWeightBytes, 1, g.Groups);

        if (isa == Isa.Avx512 && og == g.InChannelsPerGroup && og is 4 or 8 && g.Groups % (16 / og) == 0)
        {
            _groupsPerVector = 16 / og;
            // Derived once per model and shared by its gears, like Winograd's filters.
            int k = _groupsPerVector;
            long interleavedFloats = (long)g.Groups * g.KernelSize * g.InChannelsPerGroup * og;
            void Fill(AlignedBuffer b)
            {
                InterleaveWeights(g, _weights, k, b.Pointer);
                GC.KeepAlive(_weightsOwner);
            }
            string interleavedKey = PrepackedWeights.Key("conv-narrow-groups-interleaved/v1", ("o", g.OutChannels),
                ("c", g.InChannelsPerGroup), ("groups", g.Groups), ("kh", g.KH), ("kw", g.KW), ("k", k));
            if (weights.Context.Derived is { } derived) _interleavedWeights = derived.GetOrCreate(interleavedKey, interleavedFloats, Fill);
            else Fill(_interleavedWeights = new AlignedBuffer(interleavedFloats));
            _toChannelOrder = Vector512.Create(Enumerable.Range(0, 16).Select(i => i % og * _groupsPerVector + i / og).ToArray());
            _toInterleaved = Vector512.Create(Enumerable.Range(0, 16).Select(i => i % _groupsPerVector * og + i / _groupsPerVector).ToArray());
        }

        long work = (long)g.Batch * g.OutPixels * g.OutChannels * g.KernelSize * g.InChannelsPerGroup;
        _tasks = (int)Math.Clamp(work / MinWorkPerTask, 1, Math.Max(1, (long)g.Batch * g.OutH));
    }

    /// <summary>
    /// The packed weights ([group][taps][C/group][og], one block per group) re-laid for <see
    /// cref="NarrowGroupPairs512{TPack,TPixels}"/>: [pack][taps][C/group][og x k], lane j * k + h from the pack's group h.
    /// Derived at load from the stored layout, which stays the same on every instruction set.
    /// </summary>
    private static void InterleaveWeights(ConvGeometry g, float* packed, int k, float* dst)
    {
        int og = g.OutChannelsPerGroup, cg = g.InChannelsPerGroup, taps = g.KernelSize;
        for (int pack = 0; pack < g.Groups / k; pack++)
            for (int tap = 0; tap < taps; tap++)
                for (int c = 0; c < cg; c++)
                    for (int j = 0; j < og; j++)
                        for (int h = 0; h < k; h++)
                            dst[(((long)pack * taps + tap) * cg + c) * 16 + j * k + h] =
                                packed[((((long)pack * k + h) * taps + tap) * cg + c) * og + j];
    }

    /// <summary>W [O][C/group][KH][KW] to [group][block][KH][KW][C/group][block lanes], lanes past the group zero.</summary>
    private void Pack(float* w, float* dst)
    {
        var g = _setup.Geometry;
        int og = g.OutChannelsPerGroup, cg = g.InChannelsPerGroup, taps = g.KernelSize, lanes = _blockLanes;
        for (int group = 0; group < g.Groups; group++)
            for (int b = 0; b < _blocksPerGroup; b++)
                for (int tap = 0; tap < taps; tap++)
                    for (int c = 0; c < cg; c++)
                    {
                        float* d = dst + ((((long)group * _blocksPerGroup + b) * taps + tap) * cg + c) * lanes;
                        for (int q = 0; q < lanes; q++)
                        {
                            int o = b * lanes + q;
                            d[q] = o < og ? w[(((long)group * og + o) * cg + c) * taps + tap] : 0f;
                        }
                    }
    }

    public long ScratchBytes => (_setup.Geometry.Batch * _paddedImageFloats + _slackFloats) * sizeof(float) + 64;

    public void Run(in KernelArgs args)
    {
        ConvIntoSliceKernel.CopyInto(args, _setup);
        var g = _setup.Geometry;
        float* padded = (float*)((args.Scratch + 63) & ~(nint)63);
        var pad = new PadBody { Kernel = this, X = (float*)args.Inputs[0], Padded = padded };
        args.Workers.For(g.Batch, ref pad);
        new Span<float>(padded + g.Batch * _paddedImageFloats, (int)_slackFloats).Clear();
        var body = new Body
        {
            Kernel = this,
            X = padded,
            Y = (float*)args.Outputs[0] + _setup.Slice.Offset,
            Bias = _setup.HasBias ? (float*)args.Inputs[2] : null,
            Residual = _setup.HasResidual ? (float*)args.Inputs[3] : null,
        };
        args.Workers.For(_tasks, ref body);
    }

    /// <summary>Copies one image into its zero-padded place (pad rows and columns cleared, the rest overwritten).</summary>
    private void PadImage(float* x, float* padded, int n)
    {
        var g = _setup.Geometry;
        int c = g.InChannels;
        long rowFloats = (long)_paddedW * c;
        float* image = padded + n * _paddedImageFloats;
        new Span<float>(image, checked((int)(g.PH * rowFloats))).Clear();
        for (int h = 0; h < g.InH; h++)
        {
            float* dst = image + (h + g.PH) * rowFloats;
            new Span<float>(dst, g.PW * c).Clear();
            float* src = x + ((long)n * g.InH + h) * g.InW * c;
            if (_groupsPerVector > 0) Interleave(src, dst + g.PW * c, (long)g.InW * c);
            else new ReadOnlySpan<float>(src, g.InW * c).CopyTo(new Span<float>(dst + g.PW * c, g.InW * c));
            new Span<float>(dst + (g.PW + g.InW) * c, checked((int)(rowFloats - (long)(g.PW + g.InW) * c))).Clear();
        }
        long done = (g.PH + g.InH) * rowFloats;
        new Span<float>(image + done, checked((int)(_paddedImageFloats - done))).Clear();
    }

    /// <summary>Every 16 input channels (k groups) as [input channel][k]: the layout NarrowGroupPairs512 broadcasts from.</summary>
    private void Interleave(float* src, float* dst, long floats)
    {
        for (long i = 0; i < floats; i += 16)
            Vector512.Shuffle(Vector512.Load(src + i), _toInterleaved).Store(dst + i);
    }

    private struct PadBody : IParallelBody
    {
        public ConvNarrowGroupKernel Kernel;
        public float* X, Padded;

        public readonly void Invoke(int index) => Kernel.PadImage(X, Padded, index);
    }

    private struct Body : IParallelBody
    {
        public ConvNarrowGroupKernel Kernel;
        public float* X, Y, Bias, Residual;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            var g = k._setup.Geometry;
            long rows = (long)g.Batch * g.OutH;
            long first = rows * index / k._tasks, last = rows * (index + 1) / k._tasks;
            for (long r = first; r < last; r++) k.Row(this, (int)(r / g.OutH), (int)(r % g.OutH));
        }
    }

    /// <summary>One output row: per chunk of groups, every tile of pixels through every group, block and vector pair.</summary>
    private void Row(in Body body, int n, int oh)
    {
        var g = _setup.Geometry;
        int c = g.InChannels, cg = g.InChannelsPerGroup, og = g.OutChannelsPerGroup;
        long rowFloats = (long)_paddedW * c;
        int ldy = _setup.Slice.Total;
        var t = new NarrowGroupTile
        {
            PixelStep = (nint)g.SW * c,
            TapStep = (nint)g.DW * c,
            RowStep = (nint)(g.DH * rowFloats),
            KernelRows = g.KH,
            KernelCols = g.KW,
            Channels = cg,
            WeightStep = _blockLanes,
            OutputStride = ldy,
            ResidualStride = g.OutChannels,
            Min = _setup.Activation.Min,
            Max = _setup.Activation.Max,
            Clamp = _setup.Activation.IsClamp,
        };
        float* inputRow = body.X + n * _paddedImageFloats + (long)oh * g.SH * rowFloats;
        long pixel0 = ((long)n * g.OutH + oh) * g.OutW;
        long blockFloats = (long)g.KernelSize * cg * _blockLanes;
        int pairLanes = 2 * _vectorLanes;
        if (_groupsPerVector > 0)
        {
            PackedRow(body, t, inputRow, pixel0);
            return;
        }
        // Pixel tiles outside the groups, over a chunk of groups whose weights stay in L1: a tile's input window
        // (all channels of a few pixels) is then read from L1 by every group instead of streamed once per group.
        for (int chunk = 0; chunk < g.Groups; chunk += _groupsPerChunk)
        {
            int chunkEnd = Math.Min(g.Groups, chunk + _groupsPerChunk);
            for (int ow0 = 0; ow0 < g.OutW; ow0 += _tilePixels)
            {
                t.Pixels = Math.Min(_tilePixels, g.OutW - ow0);
                float* tileInput = inputRow + (long)ow0 * g.SW * c;
                long outPixel = pixel0 + ow0;
                for (int group = chunk; group < chunkEnd; group++)
                    for (int b = 0; b < _blocksPerGroup; b++)
                    {
                        float* blockWeights = _weights + ((long)group * _blocksPerGroup + b) * blockFloats;
                        int blockValid = Math.Min(_blockLanes, og - b * _blockLanes);
                        for (int lane = 0; lane < blockValid; lane += t.Lanes)
                        {
                            // Two vectors share the broadcasts when the block has them; the last one alone otherwise.
                            bool two = lane + pairLanes <= _blockLanes && lane + _vectorLanes < blockValid;
                            t.Lanes = Math.Min(two ? pairLanes : _vectorLanes, blockValid - lane);
                            int channel = group * og + b * _blockLanes + lane;
                            t.Weights = blockWeights + lane;
                            t.Bias = body.Bias == null ? null : body.Bias + channel;
                            t.X = tileInput + group * cg;
                            t.Y = body.Y + outPixel * ldy + channel;
                            t.Residual = body.Residual == null ? null : body.Residual + outPixel * g.OutChannels + channel;
                            RunTile(_isa, _vectorLanes, two, _tilePixels, ref t);
                        }
                    }
            }
        }
    }

    /// <summary>A row with k groups per AVX-512 vector: per chunk of packs, every pixel tile through every pack.</summary>
    private void PackedRow(in Body body, NarrowGroupTile t, float* inputRow, long pixel0)
    {
        var g = _setup.Geometry;
        int c = g.InChannels, packs = g.Groups / _groupsPerVector, ldy = _setup.Slice.Total;
        int packsPerChunk = Math.Max(1, _groupsPerChunk / _groupsPerVector);
        long packFloats = (long)g.KernelSize * g.InChannelsPerGroup * 16;
        t.Lanes = 16;
        for (int chunk = 0; chunk < packs; chunk += packsPerChunk)
        {
            int chunkEnd = Math.Min(packs, chunk + packsPerChunk);
            for (int ow0 = 0; ow0 < g.OutW; ow0 += 8)
            {
                t.Pixels = Math.Min(8, g.OutW - ow0);
                float* tileInput = inputRow + (long)ow0 * g.SW * c;
                long outPixel = pixel0 + ow0;
                for (int pack = chunk; pack < chunkEnd; pack++)
                {
                    int channel = pack * 16;
                    t.Weights = _interleavedWeights!.Pointer + pack * packFloats;
                    t.Bias = body.Bias == null ? null : body.Bias + channel;
                    t.X = tileInput + channel;
                    t.Y = body.Y + outPixel * ldy + channel;
                    t.Residual = body.Residual == null ? null : body.Residual + outPixel * g.OutChannels + channel;
                    if (_groupsPerVector == 2) NarrowGroupPairs512<GroupPack2, Rows8>.Run(ref t, _toChannelOrder);
                    else NarrowGroupPairs512<GroupPack4, Rows8>.Run(ref t, _toChannelOrder);
                }
            }
        }
    }

    private static void RunTile(Isa isa, int vectorLanes, bool two, int tilePixels, ref NarrowGroupTile t)
    {
        if (vectorLanes == 16 && isa == Isa.Avx512) RunTile<Float512, Vector512<float>>(two, tilePixels, ref t);
        else if (vectorLanes == 8) RunTile<Float256, Vector256<float>>(two, tilePixels, ref t);
        else RunTile<Float128, Vector128<float>>(two, tilePixels, ref t);
    }

    private static void RunTile<TOps, TVec>(bool two, int tilePixels, ref NarrowGroupTile t)
        where TOps : struct, IFloatVector<TVec> where TVec : struct
    {
        if (tilePixels == 8)
        {
            if (two) NarrowGroupKernel<TOps, TVec, Rows8, TwoVectors>.Run(ref t);
            else NarrowGroupKernel<TOps, TVec, Rows8, OneVector>.Run(ref t);
        }
        else if (two) NarrowGroupKernel<TOps, TVec, Rows6, TwoVectors>.Run(ref t);
        else NarrowGroupKernel<TOps, TVec, Rows6, OneVector>.Run(ref t);
    }
}
