using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.MicroKernels.Int8;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// QLinearConv (or ConvInteger) channels last, [N, H, W, C] in and [N, OH, OW, O] out, as an indirect GEMM:
/// output pixels are rows and output channels columns (<see cref="Int8PixelTile"/>), and each pixel reads its taps in
/// place through a table of pointers built per block of pixels, so there is no im2col copy (a 1x1 stride-1 conv is a
/// plain GEMM on the activations; stride 2 and dilation only change the pointers). Padding and missing pixels point
/// at a row of x's zero point, which contributes nothing. Input channels that are not a multiple of 4 are first copied:
/// for one group, rows padded horizontally so that a kernel row's taps are one contiguous segment (the RGB stem,
/// <see cref="Int8PixelSegments"/>); for several, each group's channels padded to 4. The weights (minus their zero points, which must fit
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
    private readonly Int8PixelSegments _segments;
    private readonly InputCopy _copy;
    /// <summary>Bytes between horizontally adjacent pixels, between rows and between images of the buffer the
    /// pointers address (the input, or its padded copy), and the copy's left padding in pixels.</summary>
    private readonly long _pixelStride, _rowStride, _imageStride;
    private readonly int _blocks, _blocksPerTask;

    /// <summary>How the input is read: in place, copied with each group's channels padded to a multiple of 4, or
    /// copied with its rows padded horizontally by the pads (x's zero point) for per-kernel-row segments.</summary>
    private enum InputCopy { None, PaddedChannels, PaddedRows }

    public QuantizedConvNhwcKernel(QuantizedConvSpec spec, OpContext context, Int8Path path)
    {
        _spec = spec;
        _g = spec.Geometry;
        _path = path;
        int taps = _g.KernelSize, perGroup = _g.InChannelsPerGroup;
        if (taps > MaxTaps) throw new ShapeException($"{context.OpType}: {taps} kernel taps; channels last takes at most {MaxTaps}");
        if (_g.Groups == 1 && perGroup % 4 != 0 && _g.DW == 1)
        {
            // Few channels (the RGB stem): a kernel row's taps are contiguous in a horizontally padded copy.
            _copy = InputCopy.PaddedRows;
            _segments = Int8PixelSegments.PerKernelRow(_g.KH, _g.KW, perGroup);
            int paddedWidth = Math.Max(_g.InW + _g.PW, (_g.OutW - 1) * _g.SW + _g.KW);
            _pixelStride = perGroup;
            _rowStride = (long)paddedWidth * perGroup + 4;
        }
        else
        {
            _copy = perGroup % 4 == 0 ? InputCopy.None : InputCopy.PaddedChannels;
            _segments = Int8PixelSegments.PerTap(_g.KH, _g.KW, perGroup);
            _pixelStride = _copy == InputCopy.None ? _g.InChannels : (long)_g.Groups * _segments.Quads * 4;
            _rowStride = _g.InW * _pixelStride;
        }
        _imageStride = _g.InH * _rowStride;
        _blocks = Int8PixelWeights.Blocks(_g.OutChannelsPerGroup);
        _blocksPerTask = Math.Clamp(TablePointers / (_segments.Count * Int8PixelTile.Pixels), 1, MaxBlocksPerTask);
        var zeroPoints = context.Constant(spec.WZeroInput);
        if (context.Constant(spec.WInput) is not null && (spec.WZeroInput < 0 || zeroPoints is not null))
        {
            long[] zeros = zeroPoints?.ToInt64Array() ?? [0];
            int ZeroPoint(int o) => (int)zeros[zeros.Length == 1 ? 0 : o];
            string key = PrepackedWeights.Key("int8-pixel-weights/v1", ("groups", _g.Groups), ("o", _g.OutChannelsPerGroup),
                ("c", _g.InChannelsPerGroup), ("kh", _g.KH), ("kw", _g.KW), ("rows", _segments.KernelRows ? 1 : 0),
                ("channels", Int8PixelTile.Channels));
            var packed = PrepackedWeights.Acquire(context, spec.WInput, key, (WeightBytes + 3) / 4, (raw, destination)
                => Int8PixelWeights.Pack(new FloatInt8Source(raw), ZeroPoint, _g.Groups, _g.KernelSize, _segments,
                    _g.OutChannelsPerGroup, (byte*)destination));
            _packedWeights = (byte*)packed.Pointer;
            _weightsOwner = packed.Owner;
        }
    }

    private long WeightBytes => Int8PixelWeights.TotalBytes(_g.Groups, _segments, _g.OutChannelsPerGroup);
    private long GroupWeightBytes => Int8PixelWeights.GroupBytes(_segments, _g.OutChannelsPerGroup);
    /// <summary>The row of x's zero point that padding and missing pixels point at: one segment or one pixel, whichever is longer.</summary>
    private long ZeroRowBytes => Math.Max(_pixelStride, _segments.Quads * 4L);
    /// <summary>Per-channel terms per group, padded to whole channel blocks so a tile reads 16 of them.</summary>
    private int TermCount => _g.Groups * _blocks * Int8PixelTile.Channels;
    private int PixelBlocks => (_g.OutPixels + Int8PixelTile.Pixels - 1) / Int8PixelTile.Pixels;
    private int PixelTasks => (PixelBlocks + _blocksPerTask - 1) / _blocksPerTask;
    private int ChannelTasks => (_blocks + ChannelBlocksPerTask - 1) / ChannelBlocksPerTask;
    private int OutputSize => _spec.Requantize is null ? 4 : 1;
    private long CopiedBytes => _copy == InputCopy.None ? 0 : _g.Batch * _imageStride;
    private static long Align(long bytes) => (bytes + 63) & ~63L;

    public long ScratchBytes => Align(ZeroRowBytes) + 2 * Align(4L * TermCount) + Align(CopiedBytes)
                                + (_packedWeights == null ? Align(WeightBytes) : 0);

    public void Run(in KernelArgs args)
    {
        byte* scratch = (byte*)args.Scratch;
        byte* zeroRow = scratch; scratch += Align(ZeroRowBytes);
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
        int perGroup = _g.OutChannelsPerGroup, slotsPerGroup = _blocks * Int8PixelTile.Channels;
        var range = Int8ChannelTerms.Prepare(_spec, args, xZero, (int*)(weights + _g.Groups * GroupWeightBytes), offsets, multipliers,
            TermCount, o => o / perGroup * slotsPerGroup + o % perGroup);
        new Span<byte>(zeroRow, checked((int)ZeroRowBytes)).Fill((byte)xZero);

        byte* x = (byte*)args.Inputs[_spec.XInput];
        if (_copy != InputCopy.None)
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
            _g.Groups, _g.KernelSize, _segments, _g.OutChannelsPerGroup, destination);
    }

    /// <summary>Copies the input for the pointers: each pixel's groups with their channels padded to a multiple of
    /// 4, or each row shifted right by the left pad; every byte not copied is x's zero point (padding, and pad lanes
    /// that meet zero weights).</summary>
    private void CopyPadded(byte* x, byte* copy, byte fill)
    {
        new Span<byte>(copy, checked((int)CopiedBytes)).Fill(fill);
        int groups = _g.Groups, perGroup = _g.InChannelsPerGroup;
        for (long row = 0; row < (long)_g.Batch * _g.InH; row++)
        {
            byte* from = x + row * _g.InW * _g.InChannels, to = copy + row * _rowStride;
            if (_copy == InputCopy.PaddedRows)
            {
                long bytes = (long)_g.InW * _g.InChannels;
                Buffer.MemoryCopy(from, to + (long)_g.PW * _pixelStride, bytes, bytes);
                continue;
            }
            for (int w = 0; w < _g.InW; w++, from += _g.InChannels, to += _pixelStride)
                for (int group = 0; group < groups; group++)
                    Buffer.MemoryCopy(from + group * perGroup, to + group * _segments.Quads * 4, perGroup, perGroup);
        }
    }

    /// <summary>Fills the table for pixel blocks [block0, block0 + count) of one image and group: per block, per
    /// segment, <see cref="Int8PixelTile.Pixels"/> pointers.</summary>
    private void BuildTable(byte* image, byte* zeroRow, int block0, int count, byte** table)
    {
        var g = _g;
        int pixels = g.OutPixels, segments = _segments.Count;
        for (int b = 0; b < count; b++)
        {
            byte** blockTable = table + (long)b * segments * Int8PixelTile.Pixels;
            for (int i = 0; i < Int8PixelTile.Pixels; i++)
            {
                int p = (block0 + b) * Int8PixelTile.Pixels + i;
                if (p >= pixels)
                {
                    for (int t = 0; t < segments; t++) blockTable[t * Int8PixelTile.Pixels + i] = zeroRow;
                    continue;
                }
                int oh = p / g.OutW, ow = p % g.OutW, t2 = 0;
                for (int kh = 0; kh < g.KH; kh++)
                {
                    int ih = oh * g.SH - g.PH + kh * g.DH;
                    bool rowInside = (uint)ih < (uint)g.InH;
                    if (_segments.KernelRows)
                    {
                        // The copy is shifted by the left pad: the window starts at ow · SW.
                        blockTable[kh * Int8PixelTile.Pixels + i] = rowInside ? image + ih * _rowStride + (long)ow * g.SW * _pixelStride : zeroRow;
                        continue;
                    }
                    for (int kw = 0; kw < g.KW; kw++, t2++)
                    {
                        int iw = ow * g.SW - g.PW + kw * g.DW;
                        blockTable[t2 * Int8PixelTile.Pixels + i] = rowInside && (uint)iw < (uint)g.InW
                            ? image + ih * _rowStride + iw * _pixelStride
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
            long groupOffset = k._copy == InputCopy.PaddedChannels ? (long)group * k._segments.Quads * 4 : (long)group * g.InChannelsPerGroup;
            byte* image = x + n * k._imageStride + groupOffset;
            int segments = k._segments.Count;
            byte** table = stackalloc byte*[count * segments * Int8PixelTile.Pixels];
            k.BuildTable(image, zeroRow + groupOffset, block0, count, table);

            int* tile = stackalloc int[Int8PixelTile.Pixels * Int8PixelTile.Channels];
            bool flip = k._spec.XType == DataType.Int8;
            int outSize = k.OutputSize, pixels = g.OutPixels;
            int cb0 = channelTask * ChannelBlocksPerTask, cbEnd = Math.Min(k._blocks, cb0 + ChannelBlocksPerTask);
            long blockBytes = Int8PixelWeights.BlockBytes(k._segments);
            for (int cb = cb0; cb < cbEnd; cb++)
            {
                sbyte* w = (sbyte*)(weights + group * k.GroupWeightBytes + cb * blockBytes);
                int channel = cb * Int8PixelTile.Channels, width = Math.Min(Int8PixelTile.Channels, g.OutChannelsPerGroup - channel);
                int term = group * k._blocks * Int8PixelTile.Channels + channel;
                for (int b = 0; b < count; b++)
                {
                    int p0 = (block0 + b) * Int8PixelTile.Pixels;
                    Int8PixelTile.Multiply(k._path, flip, table + (long)b * segments * Int8PixelTile.Pixels, segments, k._segments.Quads, w, tile);
                    long first = ((long)n * pixels + p0) * g.OutChannels + group * g.OutChannelsPerGroup + channel;
                    Int8PixelStore.Store(k._path, tile, Math.Min(Int8PixelTile.Pixels, pixels - p0), width, offsets + term,
                        multipliers == null ? null : multipliers + term, range, (nint)(output + first * outSize), g.OutChannels);
                }
            }
        }
    }
}
