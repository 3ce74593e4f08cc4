using System.Runtime.Intrinsics;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Channels-last convolution with few input channels (a network's first layer: RGB) as a direct convolution
/// (<see cref="DirectConvKernel{TOps,TVec,TPixels,TStep,TBlock}"/>): weights re-laid once as [block][KH][KW][C][block
/// width] (a block is two vectors of output channels; a block whose valid channels fit in one vector computes only
/// that one), a tile of output pixels x one block in registers, input read
/// in place. Only tiles whose window leaves the image (left/right borders, the row's last pixels) read a small
/// zero-padded strip; kernel rows above or below the image are skipped. Tasks are runs of output rows.
/// </summary>
[System.Runtime.CompilerServices.SkipLocalsInit]
internal sealed unsafe class ConvStemKernel : IKernel
{
    /// <summary>Most input channels this kernel takes; with more, a tap's K run suits the GEMM kernel.</summary>
    public const int MaxInChannels = 4;

    private const long MinWorkPerTask = 1 << 18;   // multiply-adds
    private const int MaxStripFloats = 8192;

    private readonly ConvSetup _setup;
    private readonly Isa _isa;
    private readonly AlignedBuffer _weights;
    private readonly int _blockWidth, _blocks;
    private readonly int _tilePixels;
    private readonly int _step;
    private readonly int _tasks;
    private readonly int _stripFloats;

    /// <summary>Group-1, 1-D/2-D, undilated channels-last convs with 1-4 input channels and a supported pixel step.</summary>
    public static bool Supports(ConvGeometry g, bool constantWeights) =>
        constantWeights && g.ChannelsLast && g.Groups == 1 && g.InChannels <= MaxInChannels
        && g.KD == 1 && g.InD == 1 && g.OutD == 1 && g.DH == 1 && g.DW == 1
        && g.SW * g.InChannels is 1 or 2 or 3 or 4 or 6 or 8
        && !g.IsPointwise
        && (long)g.KH * StripPixels(g, 12) * g.InChannels <= MaxStripFloats;

    /// <summary>Input pixels a tile of <paramref name="pixels"/> output pixels reads per kernel row.</summary>
    private static int StripPixels(ConvGeometry g, int pixels) => (pixels - 1) * g.SW + g.KW;

    public ConvStemKernel(ConvSetup setup, float[] weights, Isa isa)
    {
        _setup = setup;
        _isa = isa;
        var g = setup.Geometry;
        int vector = isa switch { Isa.Avx512 => Vector512<float>.Count, Isa.Avx2 => Vector256<float>.Count, _ => Vector128<float>.Count };
        _blockWidth = 2 * vector;
        _blocks = (g.OutChannels + _blockWidth - 1) / _blockWidth;
        _tilePixels = isa == Isa.Avx512 ? 12 : 6;
        _step = g.SW * g.InChannels;
        _stripFloats = g.KH * StripPixels(g, _tilePixels) * g.InChannels;
        _weights = Relayout(weights, g, _blockWidth, _blocks);
        long work = (long)g.Batch * g.OutPixels * g.OutChannels * g.KernelSize * g.InChannels;
        _tasks = (int)Math.Clamp(work / MinWorkPerTask, 1, Math.Max(1, (long)g.Batch * g.OutH));
    }

    /// <summary>W [O][C][KH][KW] to [block][KH][KW][C][block width], channels past O zero.</summary>
    private static AlignedBuffer Relayout(float[] w, ConvGeometry g, int width, int blocks)
    {
        int c = g.InChannels, taps = g.KH * g.KW;
        var dst = new AlignedBuffer(Math.Max(1, (long)blocks * taps * c * width));
        for (int b = 0; b < blocks; b++)
            for (int kh = 0; kh < g.KH; kh++)
                for (int kw = 0; kw < g.KW; kw++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        float* d = dst.Pointer + ((((long)b * g.KH + kh) * g.KW + kw) * c + ch) * width;
                        for (int q = 0; q < width; q++)
                        {
                            int o = b * width + q;
                            d[q] = o < g.OutChannels ? w[((long)o * c + ch) * taps + kh * g.KW + kw] : 0f;
                        }
                    }
        return dst;
    }

    /// <summary>The bias, zero-padded to whole blocks.</summary>
    public long ScratchBytes => _setup.HasBias ? (long)_blocks * _blockWidth * sizeof(float) + 64 : 0;

    public void Run(in KernelArgs args)
    {
        float* bias = null;
        if (_setup.HasBias)
        {
            bias = (float*)((args.Scratch + 63) & ~(nint)63);
            int o = _setup.Geometry.OutChannels;
            new ReadOnlySpan<float>((float*)args.Inputs[2], o).CopyTo(new Span<float>(bias, o));
            new Span<float>(bias + o, _blocks * _blockWidth - o).Clear();
        }
        var body = new Body
        {
            Kernel = this,
            X = (float*)args.Inputs[0],
            Y = (float*)args.Outputs[0],
            Bias = bias,
            Residual = _setup.HasResidual ? (float*)args.Inputs[3] : null,
        };
        args.Workers.For(_tasks, ref body);
    }

    private struct Body : IParallelBody
    {
        public ConvStemKernel Kernel;
        public float* X, Y, Bias, Residual;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            var g = k._setup.Geometry;
            long rows = (long)g.Batch * g.OutH;
            long first = rows * index / k._tasks, last = rows * (index + 1) / k._tasks;
            float** rowPointers = stackalloc float*[g.KH];
            float* strip = stackalloc float[k._stripFloats];
            for (long r = first; r < last; r++) k.Row(this, (int)(r / g.OutH), (int)(r % g.OutH), rowPointers, strip);
        }
    }

    /// <summary>One output row: every channel block, then every tile of pixels along the row.</summary>
    private void Row(in Body body, int n, int oh, float** rows, float* strip)
    {
        var g = _setup.Geometry;
        int c = g.InChannels, o = g.OutChannels;
        int ih0 = oh * g.SH - g.PH;
        float* imageRow0 = body.X + ((long)n * g.InH + ih0) * g.InW * c;   // may point outside: only valid rows are used
        long yRow = ((long)n * g.OutH + oh) * g.OutW * o;
        var t = new DirectConvTile
        {
            Rows = rows,
            KernelRows = g.KH,
            Run = g.KW * c,
            PixelStride = o,
            Min = _setup.Activation.Min,
            Max = _setup.Activation.Max,
            Clamp = _setup.Activation.IsClamp,
        };
        long blockFloats = (long)g.KH * g.KW * c * _blockWidth;
        for (int b = 0; b < _blocks; b++)
        {
            t.Weights = _weights.Pointer + b * blockFloats;
            t.Bias = body.Bias == null ? null : body.Bias + b * _blockWidth;
            t.Channels = Math.Min(_blockWidth, o - b * _blockWidth);
            for (int ow0 = 0; ow0 < g.OutW; ow0 += t.Pixels)
            {
                int remaining = g.OutW - ow0;
                bool wide = _tilePixels == 12 && remaining > 6;
                int tile = wide ? 12 : 6;
                t.Pixels = Math.Min(tile, remaining);
                int ix0 = ow0 * g.SW - g.PW, span = StripPixels(g, tile);
                bool inside = ix0 >= 0 && ix0 + span <= g.InW;
                for (int kh = 0; kh < g.KH; kh++)
                {
                    int ih = ih0 + kh;
                    if (ih < 0 || ih >= g.InH) rows[kh] = null;
                    else if (inside) rows[kh] = imageRow0 + ((long)kh * g.InW + ix0) * c;
                    else rows[kh] = FillStrip(strip + kh * span * c, imageRow0 + (long)kh * g.InW * c, ix0, span, c, g.InW);
                }
                long at = yRow + (long)ow0 * o + b * _blockWidth;
                t.Y = body.Y + at;
                t.Residual = body.Residual == null ? null : body.Residual + at;
                RunTile(_isa, wide, _step, t.Channels <= _blockWidth / 2, ref t);
            }
        }
    }

    /// <summary>Input pixels [ix0, ix0 + span) of one image row, zero outside the row.</summary>
    private static float* FillStrip(float* dst, float* imageRow, int ix0, int span, int c, int inW)
    {
        int first = Math.Clamp(-ix0, 0, span), end = Math.Clamp(inW - ix0, first, span);
        new Span<float>(dst, first * c).Clear();
        new ReadOnlySpan<float>(imageRow + (long)(ix0 + first) * c, (end - first) * c).CopyTo(new Span<float>(dst + first * c, (end - first) * c));
        new Span<float>(dst + end * c, (span - end) * c).Clear();
        return dst;
    }

    /// <param name="oneVector">The block's valid channels fit in one vector (e.g. 16 output channels on AVX-512).</param>
    private static void RunTile(Isa isa, bool wide, int step, bool oneVector, ref DirectConvTile t)
    {
        if (oneVector) RunTile<OneVector>(isa, wide, step, ref t);
        else RunTile<TwoVectors>(isa, wide, step, ref t);
    }

    private static void RunTile<TBlock>(Isa isa, bool wide, int step, ref DirectConvTile t) where TBlock : struct, IBlockVectors
    {
        if (isa == Isa.Avx512)
        {
            if (wide) Step<Float512, Vector512<float>, Rows12, TBlock>(step, ref t);
            else Step<Float512, Vector512<float>, Rows6, TBlock>(step, ref t);
        }
        else if (isa == Isa.Avx2) Step<Float256, Vector256<float>, Rows6, TBlock>(step, ref t);
        else Step<Float128, Vector128<float>, Rows6, TBlock>(step, ref t);
    }

    private static void Step<TOps, TVec, TPixels, TBlock>(int step, ref DirectConvTile t)
        where TOps : struct, IFloatVector<TVec> where TVec : struct where TPixels : struct, IRowCount where TBlock : struct, IBlockVectors
    {
        switch (step)
        {
            case 1: DirectConvKernel<TOps, TVec, TPixels, PixelStep1, TBlock>.Run(ref t); break;
            case 2: DirectConvKernel<TOps, TVec, TPixels, PixelStep2, TBlock>.Run(ref t); break;
            case 3: DirectConvKernel<TOps, TVec, TPixels, PixelStep3, TBlock>.Run(ref t); break;
            case 4: DirectConvKernel<TOps, TVec, TPixels, PixelStep4, TBlock>.Run(ref t); break;
            case 6: DirectConvKernel<TOps, TVec, TPixels, PixelStep6, TBlock>.Run(ref t); break;
            default: DirectConvKernel<TOps, TVec, TPixels, PixelStep8, TBlock>.Run(ref t); break;
        }
    }
}
