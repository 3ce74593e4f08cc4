using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// ConvTranspose as GEMM + col2im: per image and group, cols[(c_out, tap), pixel] = W^T x X, then each column value
/// is added to the output position under its tap. Tasks own a range of output channels (so their scatters never
/// overlap) and walk the input pixels in tiles, keeping the cols tile in a scratch slot.
/// </summary>
internal sealed unsafe class ConvTransposeKernel : IKernel
{
    private const int PixelTile = 128;

    private readonly ConvSetup _setup;
    private readonly Isa _isa;
    private readonly AlignedBuffer? _transposed;    // [C_out * taps, C_in/group] per group, stacked
    private readonly int[] _kStarts;
    private readonly int _channelsPerTask;
    private readonly int _chunksPerGroup;
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
        _channelsPerTask = Math.Clamp(192 / taps, 1, outPerGroup);
        _chunksPerGroup = (outPerGroup + _channelsPerTask - 1) / _channelsPerTask;
        _tasks = g.Batch * g.Groups * _chunksPerGroup;
        _slots = ScratchSlots.DefaultCount(_tasks);
        _slotBytes = (long)(GemmLayout.KcMax + _channelsPerTask * taps) * PixelTile * sizeof(float);
        _transposedFloats = (long)g.InChannels * taps * inPerGroup;
        if (weights is not null)
        {
            _transposed = new AlignedBuffer(Math.Max(1, _transposedFloats));
            fixed (float* w = weights) Transpose(w, _transposed.Pointer);
        }
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
        var body = new Body
        {
            Kernel = this,
            X = (float*)args.Inputs[0],
            Wt = wt,
            Bias = _setup.HasBias ? (float*)args.Inputs[2] : null,
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

    private void RunTask(int index, float* x, float* wt, float* bias, float* y, float* slot)
    {
        var g = _setup.Geometry;
        int taps = g.KernelSize, outPerGroup = g.InChannelsPerGroup, inPerGroup = g.OutChannelsPerGroup;
        int chunk = index % _chunksPerGroup, group = index / _chunksPerGroup % g.Groups, n = index / (_chunksPerGroup * g.Groups);
        int o0 = chunk * _channelsPerTask, o1 = Math.Min(outPerGroup, o0 + _channelsPerTask);
        int firstChannel = group * outPerGroup + o0;
        int rows = (o1 - o0) * taps;
        int pixels = g.OutPixels;   // ConvTranspose input pixels
        int outputPixels = g.InPixels;
        float* cols = slot + (long)GemmLayout.KcMax * PixelTile;

        FillBias(y, bias, n, firstChannel, o1 - o0, outputPixels);
        var a = new DenseRows(wt + (((long)group * outPerGroup + o0) * taps) * inPerGroup, inPerGroup);
        for (int p0 = 0; p0 < pixels; p0 += PixelTile)
        {
            int count = Math.Min(PixelTile, pixels - p0);
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
        for (int o = 0; o < channels; o++)
        {
            int channel = firstChannel + o;
            for (int t = 0; t < taps; t++)
            {
                int kw = t % g.KW, kh = t / g.KW % g.KH, kd = t / (g.KW * g.KH);
                float* row = cols + ((long)o * taps + t) * PixelTile;
                for (int j = 0; j < count; j++)
                {
                    int p = p0 + j;
                    int iw = p % g.OutW, ih = p / g.OutW % g.OutH, id = p / (g.OutW * g.OutH);
                    int od = id * g.SD - g.PD + kd * g.DD, oh = ih * g.SH - g.PH + kh * g.DH, ow = iw * g.SW - g.PW + kw * g.DW;
                    if ((uint)od >= (uint)g.InD || (uint)oh >= (uint)g.InH || (uint)ow >= (uint)g.InW) continue;
                    long position = ((long)od * g.InH + oh) * g.InW + ow;
                    long offset = g.ChannelsLast
                        ? ((long)n * outputPixels + position) * g.InChannels + channel
                        : ((long)n * g.InChannels + channel) * outputPixels + position;
                    y[offset] += row[j];
                }
            }
        }
    }
}
