using System.Runtime.Intrinsics;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Ungrouped convolution with few output channels (a style-transfer net's final 16→3 9x9, a segmenter's one-class
/// head) as a direct convolution vectorised over output pixels (<see
/// cref="PixelVectorConvKernel{TOps,TVec,TVectors,TChannels}"/>): the input is first written as zero-padded
/// channels-first planes in scratch (transposed from channels-last, or copied), so the pixels of a tile under one
/// tap are one contiguous run and no tap needs a bounds check, whatever the padding and dilation. Output channels
/// go in blocks of 4, each a broadcast weight per tap. Either layout in and out; stride 1 along the width.
/// Tasks are runs of output rows; bias, residual and clamp are applied as the sums are written.
/// </summary>
[System.Runtime.CompilerServices.SkipLocalsInit]
internal sealed unsafe class ConvPixelVectorKernel : IKernel
{
    private const long MinWorkPerTask = 1 << 18;    // multiply-adds
    private const long MinFloatsPerFillTask = 1 << 15;
    private const int MaxTilePixels = 64;

    private readonly ConvSetup _setup;
    private readonly Isa _isa;
    private readonly AlignedBuffer _weights;       // [block][C][KH][KW][4], channels past O zero
    private readonly int _blocks, _lanes, _vectors, _tilePixels;
    private readonly int _paddedH, _paddedW;
    private readonly long _planeFloats, _imageFloats, _slackFloats;
    private readonly int _tasks, _fillTasks;

    /// <summary>Ungrouped 1-D/2-D convs with constant weights and stride 1 along the width (the choice is <see cref="ConvKernelCostModel"/>'s).</summary>
    public static bool Supports(ConvGeometry g, bool constantWeights) =>
        constantWeights && g.Groups == 1 && g.KD == 1 && g.InD == 1 && g.OutD == 1 && g.SW == 1
        && g.OutPixels > 0 && g.Batch > 0 && g.InChannels > 0 && g.OutChannels > 0;

    public ConvPixelVectorKernel(ConvSetup setup, float[] weights, Isa isa)
    {
        _setup = setup;
        _isa = isa;
        var g = setup.Geometry;
        _lanes = isa switch { Isa.Avx512 => Vector512<float>.Count, Isa.Avx2 => Vector256<float>.Count, _ => Vector128<float>.Count };
        // Four vectors of pixels need 16 accumulators for 4 channels: only AVX-512 has the registers; a narrow
        // map takes two so that fewer of its lanes are past the row.
        _vectors = isa == Isa.Avx512 && g.OutW > 2 * _lanes ? 4 : 2;
        _tilePixels = _vectors * _lanes;
        _blocks = (g.OutChannels + PixelVectorConvTile.ChannelBlock - 1) / PixelVectorConvTile.ChannelBlock;
        _paddedH = Math.Max(g.InH + g.PH, (g.OutH - 1) * g.SH + (g.KH - 1) * g.DH + 1);
        _paddedW = Math.Max(g.InW + g.PW, g.OutW + (g.KW - 1) * g.DW);
        _planeFloats = (long)_paddedH * _paddedW;
        _imageFloats = _planeFloats * g.InChannels;
        // A row's last tile loads up to a whole tile past the row: into the next row, or past the last plane.
        _slackFloats = _tilePixels + 16;
        _weights = Relayout(weights, g, _blocks);
        long work = (long)g.Batch * g.OutPixels * g.OutChannels * g.KernelSize * g.InChannels;
        _tasks = (int)Math.Clamp(work / MinWorkPerTask, 1, Math.Max(1, (long)g.Batch * g.OutH));
        long fillRows = (long)g.Batch * _paddedH;
        _fillTasks = (int)Math.Clamp(fillRows * _paddedW * g.InChannels / MinFloatsPerFillTask, 1, fillRows);
    }

    /// <summary>W [O][C][KH][KW] to [block][C][KH][KW][4].</summary>
    private static AlignedBuffer Relayout(float[] w, ConvGeometry g, int blocks)
    {
        const int width = PixelVectorConvTile.ChannelBlock;
        int taps = g.KH * g.KW;
        var dst = new AlignedBuffer(Math.Max(1, (long)blocks * g.InChannels * taps * width));
        for (int b = 0; b < blocks; b++)
            for (int c = 0; c < g.InChannels; c++)
                for (int tap = 0; tap < taps; tap++)
                    for (int q = 0; q < width; q++)
                    {
                        int o = b * width + q;
                        dst.Pointer[(((long)b * g.InChannels + c) * taps + tap) * width + q] =
                            o < g.OutChannels ? w[((long)o * g.InChannels + c) * taps + tap] : 0f;
                    }
        return dst;
    }

    public long ScratchBytes => (_setup.Geometry.Batch * _imageFloats + _slackFloats) * sizeof(float) + 64;

    public void Run(in KernelArgs args)
    {
        var g = _setup.Geometry;
        float* planes = (float*)((args.Scratch + 63) & ~(nint)63);
        var fill = new FillBody { Kernel = this, X = (float*)args.Inputs[0], Planes = planes };
        args.Workers.For(_fillTasks, ref fill);
        new Span<float>(planes + g.Batch * _imageFloats, (int)_slackFloats).Clear();
        var body = new Body
        {
            Kernel = this,
            Planes = planes,
            Y = (float*)args.Outputs[0],
            Bias = _setup.HasBias ? (float*)args.Inputs[2] : null,
            Residual = _setup.HasResidual ? (float*)args.Inputs[3] : null,
        };
        args.Workers.For(_tasks, ref body);
    }

    /// <summary>Padded row <paramref name="row"/> (image x padded height) of every plane: zeros or the input's row.</summary>
    private void FillRow(float* x, float* planes, long row)
    {
        var g = _setup.Geometry;
        int n = (int)(row / _paddedH), ph = (int)(row % _paddedH), h = ph - g.PH, c = g.InChannels;
        float* first = planes + n * _imageFloats + (long)ph * _paddedW;
        if (h < 0 || h >= g.InH)
        {
            for (int ch = 0; ch < c; ch++) new Span<float>(first + ch * _planeFloats, _paddedW).Clear();
            return;
        }
        int right = g.PW + g.InW;
        for (int ch = 0; ch < c; ch++)
        {
            float* dst = first + ch * _planeFloats;
            new Span<float>(dst, g.PW).Clear();
            new Span<float>(dst + right, _paddedW - right).Clear();
        }
        if (g.ChannelsLast) TransposeRow(x + ((long)n * g.InH + h) * g.InW * c, first + g.PW, g.InW, c);
        else
            for (int ch = 0; ch < c; ch++)
                new ReadOnlySpan<float>(x + (((long)n * c + ch) * g.InH + h) * g.InW, g.InW)
                    .CopyTo(new Span<float>(first + ch * _planeFloats + g.PW, g.InW));
    }

    /// <summary>One channels-last input row [W][C] into C plane rows, _planeFloats apart.</summary>
    private void TransposeRow(float* src, float* dst, int width, int channels)
    {
        int c = 0;
        if (Transpose8x8.IsSupported)
        {
            for (; c + 8 <= channels; c += 8)
            {
                int w = 0;
                for (; w + 8 <= width; w += 8) Transpose8x8.Run(src + (long)w * channels + c, channels, dst + c * _planeFloats + w, _planeFloats);
                for (; w < width; w++)
                    for (int i = 0; i < 8; i++) dst[(c + i) * _planeFloats + w] = src[(long)w * channels + c + i];
            }
        }
        for (; c < channels; c++)
        {
            float* d = dst + c * _planeFloats;
            for (int w = 0; w < width; w++) d[w] = src[(long)w * channels + c];
        }
    }

    private struct FillBody : IParallelBody
    {
        public ConvPixelVectorKernel Kernel;
        public float* X, Planes;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            long rows = (long)k._setup.Geometry.Batch * k._paddedH;
            long first = rows * index / k._fillTasks, last = rows * (index + 1) / k._fillTasks;
            for (long r = first; r < last; r++) k.FillRow(X, Planes, r);
        }
    }

    private struct Body : IParallelBody
    {
        public ConvPixelVectorKernel Kernel;
        public float* Planes, Y, Bias, Residual;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            var g = k._setup.Geometry;
            long rows = (long)g.Batch * g.OutH;
            long first = rows * index / k._tasks, last = rows * (index + 1) / k._tasks;
            float* sums = stackalloc float[PixelVectorConvTile.ChannelBlock * MaxTilePixels];
            for (long r = first; r < last; r++) k.Row(this, (int)(r / g.OutH), (int)(r % g.OutH), sums);
        }
    }

    /// <summary>One output row: every tile of pixels through every block of output channels.</summary>
    private void Row(in Body body, int n, int oh, float* sums)
    {
        var g = _setup.Geometry;
        const int block = PixelVectorConvTile.ChannelBlock;
        long blockFloats = (long)g.InChannels * g.KernelSize * block;
        var t = new PixelVectorConvTile
        {
            PlaneStride = (nint)_planeFloats,
            InputChannels = g.InChannels,
            KernelRows = g.KH,
            KernelCols = g.KW,
            RowStep = (nint)g.DH * _paddedW,
            TapStep = g.DW,
            Sums = sums,
        };
        float* rowInput = body.Planes + n * _imageFloats + (long)oh * g.SH * _paddedW;
        for (int ow0 = 0; ow0 < g.OutW; ow0 += _tilePixels)
        {
            t.Input = rowInput + ow0;
            int valid = Math.Min(_tilePixels, g.OutW - ow0);
            for (int b = 0; b < _blocks; b++)
            {
                t.Weights = _weights.Pointer + b * blockFloats;
                int channels = Math.Min(block, g.OutChannels - b * block);
                RunTile(_isa, _vectors, channels, ref t);
                Write(body, sums, n, oh, ow0, valid, b * block, channels);
            }
        }
    }

    /// <summary>The tile's sums plus bias and residual, clamped, into either output layout.</summary>
    private void Write(in Body body, float* sums, int n, int oh, int ow0, int valid, int o0, int channels)
    {
        var g = _setup.Geometry;
        var act = _setup.Activation;
        long pixel0 = ((long)n * g.OutH + oh) * g.OutW + ow0;
        for (int j = 0; j < channels; j++)
        {
            int o = o0 + j;
            float bias = body.Bias == null ? 0f : body.Bias[o];
            // Channels-last: pixel p at (pixel0 + p) x O + o; channels-first: plane o of image n, then the pixel.
            long at = g.ChannelsLast ? pixel0 * g.OutChannels + o : ((long)n * g.OutChannels + o) * g.OutPixels + (long)oh * g.OutW + ow0;
            long step = g.ChannelsLast ? g.OutChannels : 1;
            float* s = sums + j * _tilePixels;
            for (int p = 0; p < valid; p++, at += step)
            {
                float v = s[p] + bias;
                if (body.Residual != null) v += body.Residual[at];
                if (act.IsClamp) v = MathF.Min(MathF.Max(v, act.Min), act.Max);
                body.Y[at] = v;
            }
        }
    }

    private static void RunTile(Isa isa, int vectors, int channels, ref PixelVectorConvTile t)
    {
        if (isa == Isa.Avx512)
        {
            if (vectors == 4) Channels<Float512, Vector512<float>, Rows4>(channels, ref t);
            else Channels<Float512, Vector512<float>, Rows2>(channels, ref t);
        }
        else if (isa == Isa.Avx2) Channels<Float256, Vector256<float>, Rows2>(channels, ref t);
        else Channels<Float128, Vector128<float>, Rows2>(channels, ref t);
    }

    private static void Channels<TOps, TVec, TVectors>(int channels, ref PixelVectorConvTile t)
        where TOps : struct, IFloatVector<TVec> where TVec : struct where TVectors : struct, IRowCount
    {
        switch (channels)
        {
            case 1: PixelVectorConvKernel<TOps, TVec, TVectors, OutputChannels1>.Run(ref t); break;
            case 2: PixelVectorConvKernel<TOps, TVec, TVectors, OutputChannels2>.Run(ref t); break;
            case 3: PixelVectorConvKernel<TOps, TVec, TVectors, OutputChannels3>.Run(ref t); break;
            default: PixelVectorConvKernel<TOps, TVec, TVectors, OutputChannels4>.Run(ref t); break;
        }
    }
}
