using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Channels-first convolution computed channels-last: the batch is transposed to [N, pixels, C] in scratch, run
/// through the indirect-GEMM kernel (which needs no im2col), and transposed back with the residual and activation
/// applied on the way. Two cheap passes over the data buy the fast kernel for every kernel size, stride and group
/// count. Each pass is one parallel call over every image's column blocks (not three calls per image), so a batch
/// of short sequences makes enough tasks and pays three fork/joins per step.
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
        // The inner kernel sees the channels-last batch; bias stays in its epilogue, the rest waits for the way back.
        var inner = setup with
        {
            Geometry = g with { ChannelsLast = true },
            HasResidual = false,
            Activation = setup.HasResidual ? Activation.None : setup.Activation,
        };
        _inner = new ConvNhwcKernel(inner, weights, isa);
        _inputFloats = AlignFloats((long)g.Batch * g.InChannels * g.InPixels);
        _outputFloats = AlignFloats((long)g.Batch * g.OutChannels * g.OutPixels);
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
        long inImage = (long)g.InChannels * g.InPixels, outImage = (long)g.OutChannels * g.OutPixels;

        int forwardBlocks = Tasks(g.InPixels);
        var forward = new TransposeBody
        {
            Src = (float*)args.Inputs[0], Dst = xt, Rows = g.InChannels, Columns = g.InPixels, ImageFloats = inImage, BlocksPerImage = forwardBlocks,
        };
        args.Workers.For(g.Batch * forwardBlocks, ref forward);
        _inner.Run(xt, (float*)args.Inputs[1], bias, null, yt, innerScratch, args.Workers);
        int backBlocks = Tasks(g.OutChannels);
        var back = new TransposeBody
        {
            Src = yt, Dst = (float*)args.Outputs[0], Rows = g.OutPixels, Columns = g.OutChannels, ImageFloats = outImage, BlocksPerImage = backBlocks,
            Residual = _setup.HasResidual ? (float*)args.Inputs[3] : null, Activation = activation, Back = true,
        };
        args.Workers.For(g.Batch * backBlocks, ref back);
    }

    private static int Tasks(int columns) => (columns + ColumnsPerTask - 1) / ColumnsPerTask;

    /// <summary>Task = one image and one block of <see cref="ColumnsPerTask"/> columns of its [Rows, Columns] matrix.</summary>
    private struct TransposeBody : IParallelBody
    {
        public float* Src, Dst, Residual;
        public int Rows, Columns, BlocksPerImage;
        public long ImageFloats;
        public Activation Activation;
        public bool Back;

        public readonly void Invoke(int index)
        {
            int n = index / BlocksPerImage, block = index % BlocksPerImage;
            int c0 = block * ColumnsPerTask, c1 = Math.Min(Columns, c0 + ColumnsPerTask);
            long offset = n * ImageFloats;
            float* residual = Residual == null ? null : Residual + offset;
            if (Back) LayoutTranspose.BackWithEpilogue(Src + offset, Dst + offset, residual, Rows, Columns, c0, c1, Activation);
            else LayoutTranspose.Columns(Src + offset, Dst + offset, Rows, Columns, c0, c1);
        }
    }
}
