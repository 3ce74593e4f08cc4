using Atc.Runtime.Operators.Common;
using Atc.Runtime.Operators.Elementwise.Unary;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// The fallback for a Conv, Gemm or MatMul kernel that cannot run its non-clamp activation (GELU, SiLU, HardSwish,
/// Mish) itself (not an <see cref="IMappedActivationKernel"/>): the activation runs in place over the whole output
/// after the kernel, one node and no intermediate tensor, but a second pass over memory. Clamps (Relu, Clip) stay
/// inside the GEMM tile store. A conv writing a channel slice of a wider tensor (in-place Concat) maps only its slice.
/// </summary>
internal sealed unsafe class PostActivationKernel(IKernel inner, FloatMap map, long rows, int rowStride, int offset, int width) : IKernel
{
    public long ScratchBytes => inner.ScratchBytes;

    /// <summary>Wraps <paramref name="kernel"/> when the node's "activation" names a map the kernel does not apply
    /// itself; else returns it as is.</summary>
    public static IKernel Wrap(OpContext context, IKernel kernel, TensorType output)
    {
        if (FusedActivations.ByEpilogueName(context.Attributes.GetString("activation", "")) is not { } map) return kernel;
        if (kernel is IMappedActivationKernel { AppliesMappedActivation: true }) return kernel;
        int sliceChannels = checked((int)context.Attributes.GetInt("concat_channels", 0));
        if (sliceChannels <= 0) return new PostActivationKernel(kernel, map, output.ElementCount, 0, 0, 1);
        // Channels-last slice: each pixel row of the T-channel output holds this conv's O channels at its offset.
        int convChannels = context.Input(1).Dims[0];
        int sliceOffset = checked((int)context.Attributes.GetInt("concat_offset", 0));
        return new PostActivationKernel(kernel, map, output.ElementCount / sliceChannels, sliceChannels, sliceOffset, convChannels);
    }

    /// <summary>The whole output is one contiguous run (no slice).</summary>
    private bool Contiguous => rowStride == 0;

    public void Run(in KernelArgs args)
    {
        inner.Run(args);
        float* y = (float*)args.Outputs[0];
        if (Contiguous)
        {
            var body = new Whole(map, y);
            ParallelRange.For(args.Workers, rows, 1, ref body);
        }
        else
        {
            var body = new Slices(map, y, rowStride, offset, width);
            ParallelRange.For(args.Workers, rows, width, ref body);
        }
    }

    private readonly struct Whole(FloatMap map, float* y) : IRangeBody
    {
        public void Run(long start, long end)
        {
            var span = new Span<float>(y + start, (int)(end - start));
            map(span, span);
        }
    }

    private readonly struct Slices(FloatMap map, float* y, int rowStride, int offset, int width) : IRangeBody
    {
        public void Run(long start, long end)
        {
            for (long row = start; row < end; row++)
            {
                var span = new Span<float>(y + row * rowStride + offset, width);
                map(span, span);
            }
        }
    }
}
