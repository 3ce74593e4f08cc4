using Atc.Runtime.MicroKernels;
using Atc.Runtime.MicroKernels.Int8;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>
/// Depthwise QLinearConv (group = input channels = output channels) channels last, [N, H, W, C] → [N, OH, OW, C]:
/// per output pixel one pointer per tap (padding points at a row of x's zero point), 16 channels at a time
/// (<see cref="Int8DepthwiseRow"/>), then the requantising store with per-channel terms (<see cref="Int8PixelStore"/>).
/// The weights minus their zero points (which must fit int8, as for <see cref="QuantizedConvNhwcKernel"/>) are packed
/// once into int16 tap pairs and stored in the .om.
/// </summary>
internal sealed unsafe class QuantizedDepthwiseNhwcKernel : IKernel
{
    private readonly QuantizedConvSpec _spec;
    private readonly ConvGeometry _g;
    private readonly Int8Path _path;
    private readonly short* _packedWeights;
    private readonly AlignedBuffer? _weightsOwner;
    private readonly int _taps, _evenTaps, _padded;

    public QuantizedDepthwiseNhwcKernel(QuantizedConvSpec spec, OpContext context, Int8Path path)
    {
        _spec = spec;
        _g = spec.Geometry;
        _path = path;
        _taps = _g.KernelSize;
        _evenTaps = (_taps + 1) & ~1;
        _padded = Int8DepthwiseRow.PaddedChannels(_g.OutChannels);
        var zeroPoints = context.Constant(spec.WZeroInput);
        if (context.Constant(spec.WInput) is not null && (spec.WZeroInput < 0 || zeroPoints is not null))
        {
            long[] zeros = zeroPoints?.ToInt64Array() ?? [0];
            int ZeroPoint(int c) => (int)zeros[zeros.Length == 1 ? 0 : c];
            string key = PrepackedWeights.Key("int8-depthwise-pairs/v1", ("c", _g.OutChannels), ("taps", _taps));
            var packed = PrepackedWeights.Acquire(context, spec.WInput, key, (WeightBytes + 3) / 4, (raw, destination)
                => Int8DepthwiseRow.Pack(new FloatInt8Source(raw), ZeroPoint, _g.OutChannels, _taps, (short*)destination));
            _packedWeights = (short*)packed.Pointer;
            _weightsOwner = packed.Owner;
        }
    }

    private long WeightBytes => 2 * Int8DepthwiseRow.PackedShorts(_taps, _g.OutChannels) + 4L * _g.OutChannels;
    private static long Align(long bytes) => (bytes + 63) & ~63L;

    public long ScratchBytes => Align(_g.InChannels) + 2 * Align(4L * _padded) + (_packedWeights == null ? Align(WeightBytes) : 0);

    public void Run(in KernelArgs args)
    {
        byte* scratch = (byte*)args.Scratch;
        byte* zeroRow = scratch; scratch += Align(_g.InChannels);
        int* offsets = (int*)scratch; scratch += Align(4L * _padded);
        float* multipliers = (float*)scratch; scratch += Align(4L * _padded);
        short* weights = _packedWeights;
        if (weights == null)
        {
            weights = (short*)scratch;
            var zeros = new int[_g.OutChannels];
            for (int c = 0; c < zeros.Length; c++) zeros[c] = WZeroRaw(args, c);
            Int8DepthwiseRow.Pack(new ByteInt8Source((byte*)args.Inputs[_spec.WInput], _spec.WType == DataType.Int8), c => zeros[c],
                _g.OutChannels, _taps, weights);
        }
        int xZero = XZeroRaw(args);
        var range = Int8ChannelTerms.Prepare(_spec, args, xZero, (int*)(weights + Int8DepthwiseRow.PackedShorts(_taps, _g.OutChannels)),
            offsets, multipliers, _padded, c => c);
        new Span<byte>(zeroRow, _g.InChannels).Fill((byte)xZero);
        var body = new RowBody(this, (byte*)args.Inputs[_spec.XInput], zeroRow, weights, offsets,
            _spec.Requantize is null ? null : multipliers, range, (byte*)args.Outputs[0]);
        args.Workers.For(_g.Batch * _g.OutH, ref body);
    }

    private int XZeroRaw(in KernelArgs args)
        => _spec.XZeroInput >= 0 && _spec.XZeroInput < args.Inputs.Length && args.Inputs[_spec.XZeroInput] != 0
            ? QuantizedParameters.Read(args.Inputs[_spec.XZeroInput], _spec.XType, 0) : 0;

    private int WZeroRaw(in KernelArgs args, int c)
        => _spec.WZeroInput >= 0 && _spec.WZeroInput < args.Inputs.Length && args.Inputs[_spec.WZeroInput] != 0
            ? QuantizedParameters.Read(args.Inputs[_spec.WZeroInput], _spec.WType, _spec.WZeroCount == 1 ? 0 : c) : 0;

    /// <summary>One output row of one image.</summary>
    private readonly struct RowBody(QuantizedDepthwiseNhwcKernel kernel, byte* x, byte* zeroRow, short* weights, int* offsets,
        float* multipliers, Int8OutputRange range, byte* output) : IParallelBody
    {
        public void Invoke(int index)
        {
            var k = kernel;
            var g = k._g;
            int n = index / g.OutH, oh = index % g.OutH, channels = g.InChannels;
            int outSize = k._spec.Requantize is null ? 4 : 1;
            bool flip = k._spec.XType == DataType.Int8, vector = k._path != Int8Path.Portable;
            byte* image = x + (long)n * g.InPixels * channels;
            byte** taps = stackalloc byte*[k._evenTaps];
            int* sums = stackalloc int[Int8DepthwiseRow.Channels];
            taps[k._evenTaps - 1] = zeroRow;
            for (int ow = 0; ow < g.OutW; ow++)
            {
                int t = 0;
                for (int kh = 0; kh < g.KH; kh++)
                {
                    int ih = oh * g.SH - g.PH + kh * g.DH;
                    for (int kw = 0; kw < g.KW; kw++, t++)
                    {
                        int iw = ow * g.SW - g.PW + kw * g.DW;
                        taps[t] = (uint)ih < (uint)g.InH && (uint)iw < (uint)g.InW ? image + ((long)ih * g.InW + iw) * channels : zeroRow;
                    }
                }
                long pixel = ((long)n * g.OutH + oh) * g.OutW + ow;
                for (int c = 0; c < channels; c += Int8DepthwiseRow.Channels)
                {
                    int width = Math.Min(Int8DepthwiseRow.Channels, channels - c);
                    if (vector && width == Int8DepthwiseRow.Channels)
                        Int8DepthwiseRow.Vector(taps, k._evenTaps, c, weights, k._padded, flip, sums);
                    else
                        Int8DepthwiseRow.Scalar(taps, k._evenTaps, c, width, weights, k._padded, flip, sums);
                    Int8PixelStore.Store(k._path, sums, 1, width, offsets + c, multipliers == null ? null : multipliers + c, range,
                        (nint)(output + (pixel * channels + c) * outSize), channels);
                }
            }
        }
    }
}
