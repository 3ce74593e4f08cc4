using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Depthwise 1-D/2-D convolution (group = input channels, one input channel per group; channels-last also needs
/// one output channel per input channel). Tasks are output rows (channels-last) or output planes (channels-first).
/// </summary>
internal sealed unsafe class DepthwiseConvKernel : IMappedActivationKernel
{
    private readonly ConvSetup _setup;
    private readonly AlignedBuffer? _tapWeights;   // channels-last: [tap, channel]
    private readonly AlignedBuffer? _weights;      // channels-first: as given, [O, taps]
    private readonly AlignedBuffer? _zeroRow;       // channels-last: an input row of zeros, for taps in the vertical padding
    private readonly Isa _isa;
    private readonly int _slots;                    // channels-first: zero-bordered copies of input planes
    private readonly long _slotBytes;

    public static bool Supports(ConvGeometry g) =>
        g.Groups == g.InChannels && g.InChannelsPerGroup == 1 && g.KD == 1 && g.InD == 1 && g.OutD == 1
        && (!g.ChannelsLast || g.OutChannels == g.InChannels);

    public DepthwiseConvKernel(ConvSetup setup, float[]? weights, Isa isa)
    {
        _setup = setup;
        _isa = isa;
        var g = setup.Geometry;
        if (g.ChannelsLast)
        {
            _zeroRow = new AlignedBuffer((long)g.InW * g.InChannels);
        }
        else
        {
            var (rows, columns) = DepthwiseChannelsFirst.PaddedPlane(g);
            _slots = ScratchSlots.DefaultCount((long)g.Batch * g.OutChannels);
            _slotBytes = (long)rows * columns * sizeof(float);
        }
        if (weights is null) return;
        if (g.ChannelsLast)
        {
            _tapWeights = new AlignedBuffer((long)g.OutChannels * g.KernelSize);
            fixed (float* w = weights) ToTapMajor(w, _tapWeights.Pointer, g.OutChannels, g.KernelSize);
        }
        else
        {
            _weights = AlignedBuffer.From(weights);
        }
    }

    /// <summary>[channel, tap] to [tap, channel].</summary>
    private static void ToTapMajor(float* w, float* dst, int channels, int taps)
    {
        for (int c = 0; c < channels; c++)
            for (int t = 0; t < taps; t++) dst[(long)t * channels + c] = w[(long)c * taps + t];
    }

    private long RuntimeWeightBytes => _setup.Geometry.ChannelsLast && _tapWeights is null
        ? (long)_setup.Geometry.OutChannels * _setup.Geometry.KernelSize * sizeof(float) + 64
        : 0;

    /// <summary>Each task runs the mapped activation over the output row or plane it has just written.</summary>
    public bool AppliesMappedActivation => true;

    public long ScratchBytes => RuntimeWeightBytes + ScratchSlots.Bytes(_slots, _slotBytes);

    public void Run(in KernelArgs args)
    {
        var g = _setup.Geometry;
        float* w;
        if (g.ChannelsLast)
        {
            if (_tapWeights is null)
            {
                w = (float*)((args.Scratch + 63) & ~(nint)63);
                ToTapMajor((float*)args.Inputs[1], w, g.OutChannels, g.KernelSize);
            }
            else
            {
                w = _tapWeights.Pointer;
            }
        }
        else
        {
            w = _weights is null ? (float*)args.Inputs[1] : _weights.Pointer;
        }
        var body = new Body
        {
            Kernel = this,
            X = (float*)args.Inputs[0],
            W = w,
            Bias = _setup.HasBias ? (float*)args.Inputs[2] : null,
            Residual = _setup.HasResidual ? (float*)args.Inputs[3] : null,
            Y = (float*)args.Outputs[0],
            Slots = g.ChannelsLast ? default : ScratchSlots.Create(args.Scratch + (nint)RuntimeWeightBytes, _slots, _slotBytes),
        };
        int tasks = g.ChannelsLast ? g.Batch * g.OutH : g.Batch * g.OutChannels;
        args.Workers.For(tasks, ref body);
    }

    private struct Body : IParallelBody
    {
        public DepthwiseConvKernel Kernel;
        public float* X, W, Bias, Residual, Y;
        public ScratchSlots Slots;

        public readonly void Invoke(int index)
        {
            var k = Kernel;
            var g = k._setup.Geometry;
            if (g.ChannelsLast)
            {
                DepthwiseChannelsLast.Row(g, X, W, Bias, Residual, Y, k._zeroRow!.Pointer, index / g.OutH, index % g.OutH, k._setup.Activation, k._isa);
                // The row (OW x C floats) was just written: activate it while it is in L1/L2.
                if (k._setup.Activation.Map is { } rowMap)
                    BlockActivation.Apply(rowMap, Y + (long)index * g.OutW * g.OutChannels, 1, g.OutW * g.OutChannels, 0);
                return;
            }
            int o = index % g.OutChannels, n = index / g.OutChannels;
            int multiplier = g.OutChannels / g.InChannels;
            long inPlane = (long)g.InH * g.InW, outPlane = (long)g.OutH * g.OutW;
            float* xPlane = X + ((long)n * g.InChannels + o / multiplier) * inPlane;
            long outOffset = ((long)n * g.OutChannels + o) * outPlane;
            int slot = Slots.Claim();
            try
            {
                DepthwiseChannelsFirst.Plane(g, xPlane, W + (long)o * g.KernelSize, Bias == null ? 0f : Bias[o],
                    Residual == null ? null : Residual + outOffset, Y + outOffset, Slots.Slot(slot), k._setup.Activation, k._isa);
                if (k._setup.Activation.Map is { } planeMap)
                    BlockActivation.Apply(planeMap, Y + outOffset, 1, checked((int)outPlane), 0);
            }
            finally
            {
                Slots.Release(slot);
            }
        }
    }
}
