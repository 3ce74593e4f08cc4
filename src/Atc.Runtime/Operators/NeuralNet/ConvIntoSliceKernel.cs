namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// A conv that writes a channel slice of a wider channels-last output (an in-place Concat, see OpTypes.Conv) with a
/// kernel that only writes whole tensors (depthwise): the inner kernel computes into scratch, then each pixel's O
/// channels are copied into the slice. The GEMM and Winograd kernels write slices in place and do not need this.
/// </summary>
internal sealed unsafe class ConvIntoSliceKernel(ConvSetup setup, IKernel inner) : IMappedActivationKernel
{
    private long ResultBytes => setup.Geometry.Batch * (long)setup.Geometry.OutPixels * setup.Geometry.OutChannels * sizeof(float);

    /// <summary>The slice gets what the inner kernel wrote, activated if the inner kernel applies the activation.</summary>
    public bool AppliesMappedActivation => inner is IMappedActivationKernel { AppliesMappedActivation: true };

    public long ScratchBytes => ResultBytes + 64 + inner.ScratchBytes;

    public void Run(in KernelArgs args)
    {
        CopyInto(args, setup);
        nint result = (args.Scratch + 63) & ~(nint)63;
        Span<nint> outputs = [result];
        inner.Run(new KernelArgs(args.Inputs, outputs, result + (nint)ResultBytes, args.Workers));
        var g = setup.Geometry;
        long pixels = (long)g.Batch * g.OutPixels;
        int channels = g.OutChannels;
        float* src = (float*)result;
        float* dst = (float*)args.Outputs[0] + setup.Slice.Offset;
        for (long p = 0; p < pixels; p++)
            new ReadOnlySpan<float>(src + p * channels, channels).CopyTo(new Span<float>(dst + p * setup.Slice.Total, channels));
    }

    /// <summary>
    /// The channels outside the slice come from the "into" input. The planner gives "into" and the output the same
    /// memory when it can (nothing to do then); otherwise they are copied first.
    /// </summary>
    public static void CopyInto(in KernelArgs args, ConvSetup setup)
    {
        if (args.Inputs.Length < 5 || args.Inputs[4] == 0 || args.Inputs[4] == args.Outputs[0]) return;
        long bytes = setup.Output.ByteCount;
        Buffer.MemoryCopy((void*)args.Inputs[4], (void*)args.Outputs[0], bytes, bytes);
    }
}
