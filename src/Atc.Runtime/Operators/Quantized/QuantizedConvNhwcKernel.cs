using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.MicroKernels.Int8;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// QLinearConv (or ConvInteger) channels last, [N, H, W, C] in and [N, OH, OW, O] out, as an indirect GEMM:
/// output pixels are rows and output channels columns (<see cref="Int8PixelTile"/>), and each pixel reads its taps in
/// place through a table of pointers built per block of pixels, so there is no im2col copy (a 1x1 stride-1 conv is a
/// plain GEMM on the activations; stride 2 and dilation only change the pointers). Padding and missing pixels point
/// at a row of x's zero point, which contributes nothing. Input channels per group that are not a multiple of 4 (the
/// RGB stem) are first copied with their channels padded to 4. The weights (minus their zero points, which must fit
/// int8; the compiler converts only such convs) are packed once (<see cref="Int8PixelWeights"/>, stored in the .om);
/// the bias and zero-point terms become one int32 per channel and the requantisation with a fused Relu/Clip runs as
/// each tile is stored (<see cref="Int8PixelStore"/>).
/// </summary>
internal sealed unsafe class QuantizedConvNhwcKernel : IKernel
{
    /// <summary>Pointers in one task's indirection table (on the stack: 32 KB).</summary>
    private const int TablePointers = 4096;
    private const int MaxBlocksPerTask = 8;
    private const int ChannelBlocksPerTask = 4;

    /// <summary>Most taps this kernel takes (a table for one pixel block must fit the stack).</summary>
    public const int MaxTaps = 1024;

    private readonly QuantizedConvSpec _spec;
    private readonly ConvGeometry _g;
    private readonly Int8Path _path;
    private readonly byte* _packedWeights;
    private readonly AlignedBuffer? _weightsOwner;
    private readonly int _taps, _quads, _blocks, _pixelStride, _blocksPerTask;
    private readonly bool _copiesInput;

    public QuantizedConvNhwcKernel(QuantizedConvSpec spec, OpContext context, Int8Path path)
    {
        _spec = spec;
        _g = spec.Geometry;
        _path = path;
        _taps = _g.KernelSize;
        if (_taps > MaxTaps) throw new ShapeException($"{context.OpType}: {_taps} kernel taps; channels last takes at most {MaxTaps}");
        _quads = Int8PixelWeights.Quads(_g.InChannelsPerGroup);
        _blocks = Int8PixelWeights.Blocks(_g.OutChannelsPerGroup);
        _copiesInput = _g.InChannelsPerGroup % 4 != 0;
        _pixelStride = _copiesInput ? _g.Groups * _quads * 4 : _g.InChannels;
        _blocksPerTask = Math.Clamp(TablePointers / (_taps * Int8PixelTile.Pixels), 1, MaxBlocksPerTask);
        var zeroPoints = context.Constant(spec.WZeroInput);
        if (context.Constant(spec.WInput) is not null && (spec.WZeroInput < 0 || zeroPoints is not null))
        {
            long[] zeros = zeroPoints?.ToInt64Array() ?? [0];
            int ZeroPoint(int o) => (int)zeros[zeros.Length == 1 ? 0 : o];
            string key = PrepackedWeights.Key("int8-pixel-weights/v1", ("groups", _g.Groups), ("o", _g.OutChannelsPerGroup),
                ("c", _g.InChannelsPerGroup), ("taps", _taps), ("channels", Int8PixelTile.Channels));
            var packed = PrepackedWeights.Acquire(context, spec.WInput, key, (WeightBytes + 3) / 4, (raw, destination)
                => Int8PixelWeights.Pack(new FloatInt8Source(raw), ZeroPoint, _g.Groups, _taps, _g.InChannelsPerGroup,
                    _g.OutChannelsPerGroup, (byte*)destination));
            _packedWeights = (byte*)packed.Pointer;
            _weightsOwner = packed.Owner;
        }
    }

    private long WeightBytes => Int8PixelWeights.TotalBytes(_g.Groups, _taps, _g.InChannelsPerGroup, _g.OutChannelsPerGroup);
    private long GroupWeightBytes => Int8PixelWeights.GroupBytes(_taps, _g.InChannelsPerGroup, _g.OutChannelsPerGroup);
    /// <summary>Per-channel terms per group, padded to whole channel blocks so a tile reads 16 of them.</summary>
    private int TermCount => _g.Groups * _blocks * Int8PixelTile.Channels;
    private int PixelBlocks => (_g.OutPixels + Int8PixelTile.Pixels - 1) / Int8PixelTile.Pixels;
    private int PixelTasks => (PixelBlocks + _blocksPerTask - 1) / _blocksPerTask;
    private int ChannelTasks => (_blocks + ChannelBlocksPerTask - 1) / ChannelBlocksPerTask;
    private int OutputSize => _spec.Requantize is null ? 4 : 1;
    private long CopiedBytes => _copiesInput ? (long)_g.Batch * _g.InPixels * _pixelStride : 0;
    private static long Align(long bytes) => (bytes + 63) & ~63L;

    public long ScratchBytes => Align(_pixelStride) + 2 * Align(4L * TermCount) + Align(CopiedBytes)
                                + (_packedWeights == null ? Align(WeightBytes) : 0);

    public void Run(in KernelArgs args)
    {
        byte* scratch = (byte*)args.Scratch;
        byte* zeroRow = scratch; scratch += Align(_pixelStride);
        int* offsets = (int*)scratch; scratch += Align(4L * TermCount);
        float* multipliers = (float*)scratch; scratch += Align(4L * TermCount);
        byte* copy = scratch; scratch += Align(CopiedBytes);
        byte* weights = _packedWeights;
        if (weights == null)
        {
            weights = scratch;
            PackRuntimeWeights(args, weights);
        }
        int xZero = XZeroRaw(args);
        var range = Prepare(args, xZero, (int*)(weights + _g.Groups * GroupWeightBytes), offsets, multipliers);
        new Span<byte>(zeroRow, _pixelStride).Fill((byte)xZero);

        byte* x = (byte*)args.Inputs[_spec.XInput];
        if (_copiesInput)
        {
            CopyPadded(x, copy, (byte)xZero);
            x = copy;
        }
        var body = new TaskBody(this, x, zeroRow, weights, offsets, _spec.Requantize is null ? null : multipliers, range,
            (byte*)args.Outputs[0]);
        args.Workers.For(_g.Batch * _g.Groups * PixelTasks * ChannelTasks, ref body);
    }

    private int XZeroRaw(in KernelArgs args)
        => _spec.XZeroInput >= 0 && _spec.XZeroInput < args.Inputs.Length && args.Inputs[_spec.XZeroInput] != 0
            ? QuantizedParameters.Read(args.Inputs[_spec.XZeroInput], _spec.XType, 0) : 0;

    private int WZeroRaw(in KernelArgs args, int o)
        => _spec.WZeroInput >= 0 && _spec.WZeroInput < args.Inputs.Length && args.Inputs[_spec.WZeroInput] != 0
            ? QuantizedParameters.Read(args.Inputs[_spec.WZeroInput], _spec.WType, _spec.WZeroCount == 1 ? 0 : o) : 0;

    private void PackRuntimeWeights(in KernelArgs args, byte* destination)
    {
        var zeros = new int[_g.OutChannels];
        for (int o = 0; o < zeros.Length; o++) zeros[o] = WZeroRaw(args, o);
        Int8PixelWeights.Pack(new ByteInt8Source((byte*)args.Inputs[_spec.WInput], _spec.WType == DataType.Int8), o => zeros[o],
            _g.Groups, _taps, _g.InChannelsPerGroup, _g.OutChannelsPerGroup, destination);
    }

    /// <summary>Per channel: offset = bias - (zx + shift) · Σ(w - zw), where shift is 128 for int8 activations (the
    /// tile reads them +128); the multiplier x_scale · w_scale[o] / y_scale. Returns the output's zero point and clamp.</summary>
    private Int8OutputRange Prepare(in KernelArgs args, int xZero, int* rowSums, int* offsets, float* multipliers)
    {
        new Span<int>(offsets, TermCount).Clear();
        new Span<float>(multipliers, TermCount).Clear();
        int xTerm = xZero + (_spec.XType == DataType.Int8 ? 128 : 0);
        int* bias = null;
        float xScale = 0, yScale = 1;
        float* wScale = null;
        if (_spec.Requantize is { } q)
        {
            xScale = *(float*)args.Inputs[q.XScale];
            yScale = *(float*)args.Inputs[q.YScale];
            wScale = (float*)args.Inputs[q.WScale];
            if (q.Bias >= 0 && args.Inputs.Length > q.Bias && args.Inputs[q.Bias] != 0) bias = (int*)args.Inputs[q.Bias];
        }
        bool finite = true;
        for (int o = 0; o < _g.OutChannels; o++)
        {
            int at = o / _g.OutChannelsPerGroup * _blocks * Int8PixelTile.Channels + o % _g.OutChannelsPerGroup;
            offsets[at] = unchecked((bias == null ? 0 : bias[o]) - xTerm * rowSums[o]);
            if (_spec.Requantize is { } r)
            {
                multipliers[at] = xScale * wScale[r.WScaleCount == 1 ? 0 : o] / yScale;
                finite &= float.IsFinite(multipliers[at]);
            }
        }
        if (_spec.Requantize is not { } requantize) return new Int8OutputRange(0, 0, 0, false, true);
        var (min, max) = QuantizedParameters.Range(requantize.YType);
        int yZero = QuantizedParameters.Read(args.Inputs[requantize.YZero], requantize.YType, 0);
        return new Int8OutputRange(yZero, Math.Max(min, _spec.OutputClamp.Min), Math.Min(max, _spec.OutputClamp.Max),
            requantize.YType == DataType.Int8, finite);
    }

    /// <summary>Copies every pixel's groups with their channels padded to a multiple of 4 (the pad lanes meet zero
    /// weights; x's zero point keeps them harmless).</summary>
    private void CopyPadded(byte* x, byte* copy, byte fill)
    {
        int groups = _g.Groups, perGroup = _g.InChannelsPerGroup, padded = _quads * 4;
        long pixels = (long)_g.Batch * _g.InPixels;
        new Span<byte>(copy, checked((int)CopiedBytes)).Fill(fill);
        for (long p = 0; p < pixels; p++)
        {
            byte* from = x + p * _g.InChannels, to = copy + p * _pixelStride;
            for (int group = 0; group < groups; group++)
                new ReadOnlySpan<byte>(from + group * perGroup, perGroup).CopyTo(new Span<byte>(to + group * padded, perGroup));
        }
    }

    /// <summary>Fills the table for pixel blocks [block0, block0 + count) of one image and group: per block, per
    /// tap, <see cref="Int8PixelTile.Pixels"/> pointers.</summary>
    private void BuildTable(byte* image, byte* zeroRow, int block0, int count, byte** table)
    {
        var g = _g;
        int pixels = g.OutPixels;
        for (int b = 0; b < count; b++)
        {
            byte** blockTable = table + (long)b * _taps * Int8PixelTile.Pixels;
            for (int i = 0; i < Int8PixelTile.Pixels; i++)
            {
                int p = (block0 + b) * Int8PixelTile.Pixels + i;
                if (p >= pixels)
                {
                    for (int t = 0; t < _taps; t++) blockTable[t * Int8PixelTile.Pixels + i] = zeroRow;
                    continue;
                }
                int oh = p / g.OutW, ow = p % g.OutW, t2 = 0;
                for (int kh = 0; kh < g.KH; kh++)
                {
                    int ih = oh * g.SH - g.PH + kh * g.DH;
                    bool rowInside = (uint)ih < (uint)g.InH;
                    for (int kw = 0; kw < g.KW; kw++, t2++)
                    {
                        int iw = ow * g.SW - g.PW + kw * g.DW;
                        blockTable[t2 * Int8PixelTile.Pixels + i] = rowInside && (uint)iw < (uint)g.InW
                            ? image + ((long)ih * g.InW + iw) * _pixelStride
                            : zeroRow;
                    }
                }
            }
        }
    }

    private readonly struct TaskBody(QuantizedConvNhwcKernel kernel, byte* x, byte* zeroRow, byte* weights, int* offsets,
        float* multipliers, Int8OutputRange range, byte* output) : IParallelBody
    {
        public void Invoke(int index)
        {
            var k = kernel;
            var g = k._g;
            int channelTask = index % k.ChannelTasks;
            int rest = index / k.ChannelTasks;
            int pixelTask = rest % k.PixelTasks;
            rest /= k.PixelTasks;
            int group = rest % g.Groups, n = rest / g.Groups;

            int block0 = pixelTask * k._blocksPerTask, count = Math.Min(k._blocksPerTask, k.PixelBlocks - block0);
            long groupOffset = k._copiesInput ? (long)group * k._quads * 4 : (long)group * g.InChannelsPerGroup;
            byte* image = x + (long)n * g.InPixels * k._pixelStride + groupOffset;
            byte** table = stackalloc byte*[count * k._taps * Int8PixelTile.Pixels];
            k.BuildTable(image, zeroRow + groupOffset, block0, count, table);

            int* tile = stackalloc int[Int8PixelTile.Pixels * Int8PixelTile.Channels];
            bool flip = k._spec.XType == DataType.Int8;
            int outSize = k.OutputSize, pixels = g.OutPixels;
            int cb0 = channelTask * ChannelBlocksPerTask, cbEnd = Math.Min(k._blocks, cb0 + ChannelBlocksPerTask);
            long blockBytes = Int8PixelWeights.BlockBytes(k._taps, g.InChannelsPerGroup);
            for (int cb = cb0; cb < cbEnd; cb++)
            {
                sbyte* w = (sbyte*)(weights + group * k.GroupWeightBytes + cb * blockBytes);
                int channel = cb * Int8PixelTile.Channels, width = Math.Min(Int8PixelTile.Channels, g.OutChannelsPerGroup - channel);
                int term = group * k._blocks * Int8PixelTile.Channels + channel;
                for (int b = 0; b < count; b++)
                {
                    int p0 = (block0 + b) * Int8PixelTile.Pixels;
                    Int8PixelTile.Multiply(k._path, flip, table + (long)b * k._taps * Int8PixelTile.Pixels, k._taps, k._quads, w, tile);
                    long first = ((long)n * pixels + p0) * g.OutChannels + group * g.OutChannelsPerGroup + channel;
                    Int8PixelStore.Store(k._path, tile, Math.Min(Int8PixelTile.Pixels, pixels - p0), width, offsets + term,
                        multipliers == null ? null : multipliers + term, range, (nint)(output + first * outSize), g.OutChannels);
                }
            }
        }
    }
}
