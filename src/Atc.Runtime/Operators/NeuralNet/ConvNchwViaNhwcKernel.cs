using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Channels-first convolution computed channels-last: each image is transposed to [pixels, C] in scratch, run through
/// the indirect-GEMM kernel (which needs no im2col), and transposed back with the residual and activation applied
/// on the way. Two cheap passes over the data buy the fast kernel for every kernel size, stride and group count.
/// </summary>
internal sealed unsafe class ConvNchwViaNhwcKernel : IMappedActivationKernel
{
    private const int ColumnsPerTask = 64;

    private readonly ConvSetup _setup;
    private readonly ConvNhwcKernel _inner;
    private readonly long _inputFloats, _outputFloats;

    public ConvNchwViaNhwcKernel(ConvSetup setup, ConstantWeights? weights, Isa isa)
    {
        _setup = setup;
        var g = setup.Geometry;
        // The inner kernel sees one channels-last image; bias stays in its epilogue, the rest waits for the way back.
        var inner = setup with
        {
            Geometry = g with { ChannelsLast = true, Batch = 1 },
            HasResidual = false,
            Activation = setup.HasResidual ? Activation.None : setup.Activation,
        };
        _inner = new ConvNhwcKernel(inner, weights, isa);
        _inputFloats = AlignFloats((long)g.InChannels * g.InPixels);
        _outputFloats = AlignFloats((long)g.OutChannels * g.OutPixels);
    }

    private static long AlignFloats(long n) => (n + 15) & ~15L;

    /// <summary>Without a residual the inner kernel applies the whole activation; with one, the activation waits for
    /// the residual on the way back, and that transpose only clamps.</summary>
    public bool AppliesMappedActivation => !_setup.HasResidual;

    public long ScratchBytes => (_inputFloats + _outputFloats) * sizeof(float) + 64 + _inner.ScratchBytes;

    public void Run(in KernelArgs args)
    {
        var g = _setup.Geometry;
        float* xt = (float*)((args.Scratch + 63) & ~(nint)63);
        float* yt = xt + _inputFloats;
        nint innerScratch = (nint)(yt + _outputFloats);
        float* bias = _setup.HasBias ? (float*)args.Inputs[2] : null;
        var activation = _setup.HasResidual ? _setup.Activation : Activation.None;
        for (int n = 0; n < g.Batch; n++)
        {
            float* x = (float*)args.Inputs[0] + (long)n * g.InChannels * g.InPixels;
            float* y = (float*)args.Outputs[0] + (long)n * g.OutChannels * g.OutPixels;
            float* residual = _setup.HasResidual ? (float*)args.Inputs[3] + (long)n * g.OutChannels * g.OutPixels : null;

            var forward = new TransposeBody { Src = x, Dst = xt, Rows = g.InChannels, Columns = g.InPixels };
            args.Workers.For(Tasks(g.InPixels), ref forward);
            _inner.Run(xt, (float*)args.Inputs[1], bias, null, yt, innerScratch, args.Workers);
            var back = new TransposeBody { Src = yt, Dst = y, Rows = g.OutPixels, Columns = g.OutChannels, Residual = residual, Activation = activation, Back = true };
            args.Workers.For(Tasks(g.OutChannels), ref back);
        }
    }

    private static int Tasks(int columns) => (columns + ColumnsPerTask - 1) / ColumnsPerTask;

    private struct TransposeBody : IParallelBody
    {
        public float* Src, Dst, Residual;
        public int Rows, Columns;
        public Activation Activation;
        public bool Back;

        public readonly void Invoke(int index)
        {
            int c0 = index * ColumnsPerTask, c1 = Math.Min(Columns, c0 + ColumnsPerTask);
            if (Back) LayoutTranspose.BackWithEpilogue(Src, Dst, Residual, Rows, Columns, c0, c1, Activation);
            else LayoutTranspose.Columns(Src, Dst, Rows, Columns, c0, c1);
        }
    }
}
