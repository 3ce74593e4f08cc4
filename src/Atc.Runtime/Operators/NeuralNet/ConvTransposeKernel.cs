using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// ConvTranspose as GEMM + col2im: per image and group, cols[(c_out, tap), pixel] = W^T x X, then each column value
/// is added to the output position under its tap. Tasks own a range of output channels (so their scatters never
/// overlap) and walk the input pixels in tiles, keeping the cols tile in a scratch slot. When the taps of one input
/// row land on output rows no other input row reaches (kernel extent ≤ stride along depth and height, the usual
/// 2x2 stride-2 upsampling), tasks also own a band of input rows: a decoder's 16-channel layer then still makes
/// enough tasks for every thread. The split depends on the shapes only, so every thread count computes the same bits.
/// </summary>
internal sealed unsafe class ConvTransposeKernel : IKernel
{
    private const int PixelTile = 128;

    /// <summary>Tasks worth making for one call: a few per thread of a small pool, so a late thread still finds work.</summary>
    private const int TargetTasks = 8;

    private readonly ConvSetup _setup;
    private readonly Isa _isa;
    private readonly AlignedBuffer? _transposed;    // [C_out * taps, C_in/group] per group, stacked
    private readonly int[] _kStarts;
    private readonly int _channelsPerTask;
    private readonly int _chunksPerGroup;
    private readonly int _bands;           // input-row bands per (image, group, channel chunk); 1 = whole image
    private readonly int _rowsPerBand;
    private readonly int _tasks;
    private readonly int _slots;
    private readonly long _slotBytes;
    private readonly long _transposedFloats;

    public ConvTransposeKernel(ConvSetup setup, float[]? weights, Isa isa)
    {
        _setup = setup;
        _isa = isa;
        var g = setup.Geometry;
        int taps = g.KernelSize, outPerGroup = g.InChannelsPerGroup, inPerGroup = g.OutChannelsPerGroup;
        _kStarts = GemmLayout.UniformKBlocks(inPerGroup);
        // At most 192 cols rows per task (the tile stays in cache), spread evenly over the chunks.
        int maxChannels = Math.Clamp(192 / taps, 1, outPerGroup);
        _chunksPerGroup = (outPerGroup + maxChannels - 1) / maxChannels;
        _channelsPerTask = (outPerGroup + _chunksPerGroup - 1) / _chunksPerGroup;
        (_bands, _rowsPerBand) = RowBands(g, g.Batch * g.Groups * _chunksPerGroup, (long)_channelsPerTask * taps * inPerGroup);
        _tasks = g.Batch * g.Groups * _chunksPerGroup * _bands;
        _slots = ScratchSlots.DefaultCount(_tasks);
        _slotBytes = (long)(GemmLayout.KcMax + _channelsPerTask * taps) * PixelTile * sizeof(float);
        _transposedFloats = (long)g.InChannels * taps * inPerGroup;
        if (weights is not null)
        {
            _transposed = new AlignedBuffer(Math.Max(1, _transposedFloats));
            fixed (float* w = weights) Transpose(w, _transposed.Pointer);
        }
    }

    /// <summary>
    /// Bands of input rows (depth x height) for tasks to own, and rows per band: 1 band when the taps of
    /// neighbouring input rows overlap in the output (their scatters would race) or the other splits already give
    /// <see cref="TargetTasks"/>; never a band below <see cref="Common.ParallelRange.MinWorkPerTask"/> multiply-adds.
    /// </summary>
    private static (int Bands, int RowsPerBand) RowBands(ConvGeometry g, int otherTasks, long macsPerPixel)
    {
        // For ConvTranspose the geometry's "Out" sides are its input.
        int rows = g.OutD * g.OutH;
        bool disjointRows = (g.KH - 1) * g.DH < g.SH && (g.KD - 1) * g.DD < g.SD;
        if (!disjointRows || otherTasks >= TargetTasks || rows < 2) return (1, rows);
        long macsPerRow = Math.Max(1, macsPerPixel * g.OutW);
        int byWork = (int)Math.Clamp(macsPerRow * rows / Common.ParallelRange.MinWorkPerTask, 1, rows);
        int bands = Math.Min(byWork, (TargetTasks + otherTasks - 1) / otherTasks);
        if (bands <= 1) return (1, rows);
        int rowsPerBand = (rows + bands - 1) / bands;
        return ((rows + rowsPerBand - 1) / rowsPerBand, rowsPerBand);
    }

    /// <summary>W [C_in, C_out/g, taps] to, per group, rows (c_out, tap) of C_in/g values.</summary>
    private void Transpose(float* w, float* dst)
    {
        var g = _setup.Geometry;
        int taps = g.KernelSize, outPerGroup = g.InChannelsPerGroup, inPerGroup = g.OutChannelsPerGroup;
        for (int group = 0; group < g.Groups; group++)
            for (int c = 0; c < inPerGroup; c++)
                for (int o = 0; o < outPerGroup; o++)
                    for (int t = 0; t < taps; t++)
                        dst[(((long)group * outPerGroup + o) * taps + t) * inPerGroup + c] =
                            w[(((long)group * inPerGroup + c) * outPerGroup + o) * taps + t];
    }

    public long ScratchBytes => ScratchSlots.Bytes(_slots, _slotBytes) + (_transposed is null ? _transposedFloats * sizeof(float) + 64 : 0);

    public void Run(in KernelArgs args)
    {
        float* wt;
        nint scratch = args.Scratch;
        if (_transposed is null)
        {
            wt = (float*)((scratch + 63) & ~(nint)63);
            Transpose((float*)args.Inputs[1], wt);
            scratch += (nint)(_transposedFloats * sizeof(float) + 64);
        }
        else
        {
            wt = _transposed.Pointer;
        }
        float* bias = _setup.HasBias ? (float*)args.Inputs[2] : null;
        if (_bands > 1)
        {
            // Banded tasks own input rows, not output rows: set every output (the positions no tap reaches too)
            // to its bias first, then the tasks only add.
            var fill = new BiasFill { Kernel = this, Bias = bias, Y = (float*)args.Outputs[0] };
            var g = _setup.Geometry;
            if (g.ChannelsLast) Common.ParallelRange.For(args.Workers, (long)g.Batch * g.InPixels, g.InChannels, ref fill);
            else Common.ParallelRange.For(args.Workers, (long)g.Batch * g.InChannels, g.InPixels, ref fill);
        }
        var body = new Body
        {
            Kernel = this,
            X = (float*)args.Inputs[0],
            Wt = wt,
            Bias = bias,
            Y = (float*)args.Outputs[0],
            Slots = ScratchSlots.Create(scratch, _slots, _slotBytes),
        };
        args.Workers.For(_tasks, ref body);
    }

    private struct Body : IParallelBody
    {
        public ConvTransposeKernel Kernel;
        public float* X, Wt, Bias, Y;
        public ScratchSlots Slots;

        public readonly void Invoke(int index)
        {
            int slot = Slots.Claim();
            try
            {
                Kernel.RunTask(index, X, Wt, Bias, Y, Slots.Slot(slot));
            }
            finally
            {
                Slots.Release(slot);
            }
        }
    }

    /// <summary>Sets output items [start, end) to the bias (or 0): an item is one output pixel's channels when
    /// channels are last (contiguous), one (image, channel) plane otherwise.</summary>
    private struct BiasFill : Common.IRangeBody
    {
        public ConvTransposeKernel Kernel;
        public float* Bias, Y;

        public readonly void Run(long start, long end)
        {
            var g = Kernel._setup.Geometry;
            if (!g.ChannelsLast)
            {
                for (long item = start; item < end; item++)
                    Kernel.FillBias(Y, Bias, (int)(item / g.InChannels), (int)(item % g.InChannels), 1, g.InPixels);
                return;
            }
            int channels = g.InChannels;
            for (long item = start; item < end; item++)
            {
                var pixel = new Span<float>(Y + item * channels, channels);
                if (Bias == null) pixel.Clear();
                else new ReadOnlySpan<float>(Bias, channels).CopyTo(pixel);
            }
        }
    }

    private void RunTask(int index, float* x, float* wt, float* bias, float* y, float* slot)
    {
        var g = _setup.Geometry;
        int taps = g.KernelSize, outPerGroup = g.InChannelsPerGroup, inPerGroup = g.OutChannelsPerGroup;
        int band = index % _bands;
        index /= _bands;
        int chunk = index % _chunksPerGroup, group = index / _chunksPerGroup % g.Groups, n = index / (_chunksPerGroup * g.Groups);
        int o0 = chunk * _channelsPerTask, o1 = Math.Min(outPerGroup, o0 + _channelsPerTask);
        if (o0 >= o1) return;
        int firstChannel = group * outPerGroup + o0;
        int rows = (o1 - o0) * taps;
        int pixels = g.OutPixels;   // ConvTranspose input pixels
        int outputPixels = g.InPixels;
        float* cols = slot + (long)GemmLayout.KcMax * PixelTile;

        // The band's input pixels; the pixel tiles start at the band's first pixel.
        int first = Math.Min(pixels, band * _rowsPerBand * g.OutW), last = Math.Min(pixels, (band + 1) * _rowsPerBand * g.OutW);
        if (_bands == 1) FillBias(y, bias, n, firstChannel, o1 - o0, outputPixels);
        var a = new DenseRows(wt + (((long)group * outPerGroup + o0) * taps) * inPerGroup, inPerGroup);
        for (int p0 = first; p0 < last; p0 += PixelTile)
        {
            int count = Math.Min(PixelTile, last - p0);
            var spec = new GemmTileSpec { M0 = 0, M1 = rows, N0 = 0, N1 = count, C = cols, Ldc = PixelTile, Epilogue = GemmEpilogue.None };
            if (g.ChannelsLast)
            {
                float* bt = x + ((long)n * pixels + p0) * g.OutChannels + (long)group * inPerGroup;
                GemmDriver.ComputeTile(_isa, a, new TransposedPanels(bt, g.OutChannels, pixels - p0, 1f), _kStarts, slot, spec);
            }
            else
            {
                float* b = x + ((long)n * g.OutChannels + (long)group * inPerGroup) * pixels + p0;
                GemmDriver.ComputeTile(_isa, a, new RowMajorPanels(b, pixels, pixels - p0, 1f), _kStarts, slot, spec);
            }
            Scatter(cols, y, n, firstChannel, o1 - o0, p0, count);
        }
    }

    private void FillBias(float* y, float* bias, int n, int firstChannel, int channels, int outputPixels)
    {
        var g = _setup.Geometry;
        for (int o = 0; o < channels; o++)
        {
            float value = bias == null ? 0f : bias[firstChannel + o];
            if (g.ChannelsLast)
            {
                float* p = y + (long)n * outputPixels * g.InChannels + firstChannel + o;
                for (int i = 0; i < outputPixels; i++, p += g.InChannels) *p = value;
            }
            else
            {
                new Span<float>(y + ((long)n * g.InChannels + firstChannel + o) * outputPixels, outputPixels).Fill(value);
            }
        }
    }

    /// <summary>Adds cols[(channel, tap), pixel] to the output position each tap maps its input pixel to.</summary>
    private void Scatter(float* cols, float* y, int n, int firstChannel, int channels, int p0, int count)
    {
        var g = _setup.Geometry;
        int taps = g.KernelSize;
        long outputPixels = g.InPixels;
        // The geometry in locals: the loop below writes through a pointer, which keeps the JIT from caching fields.
        int inW = g.OutW, inH = g.OutH, outD = g.InD, outH = g.InH, outW = g.InW, allChannels = g.InChannels;
        bool channelsLast = g.ChannelsLast;
        for (int o = 0; o < channels; o++)
        {
            int channel = firstChannel + o;
            // Output element (position, channel) = y[position * positionStride + channelBase].
            long positionStride = channelsLast ? allChannels : 1;
            long channelBase = channelsLast ? (long)n * outputPixels * allChannels + channel : ((long)n * allChannels + channel) * outputPixels;
            for (int t = 0; t < taps; t++)
            {
                int kw = t % g.KW, kh = t / g.KW % g.KH, kd = t / (g.KW * g.KH);
                int dOffset = kd * g.DD - g.PD, hOffset = kh * g.DH - g.PH, wOffset = kw * g.DW - g.PW;
                int sd = g.SD, sh = g.SH, sw = g.SW;
                float* row = cols + ((long)o * taps + t) * PixelTile;
                // The input pixel's coordinates advance with j (no division per element).
                int iw = p0 % inW, ih = p0 / inW % inH, id = p0 / (inW * inH);
                for (int j = 0; j < count; j++, iw++)
                {
                    if (iw == inW)
                    {
                        iw = 0;
                        if (++ih == inH) { ih = 0; id++; }
                    }
                    int od = id * sd + dOffset, oh = ih * sh + hOffset, ow = iw * sw + wOffset;
                    if ((uint)od >= (uint)outD || (uint)oh >= (uint)outH || (uint)ow >= (uint)outW) continue;
                    long position = ((long)od * outH + oh) * outW + ow;
                    y[channelBase + position * positionStride] += row[j];
                }
            }
        }
    }
}
