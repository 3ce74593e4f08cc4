using Atc.Runtime.Core;

namespace Atc.Runtime.Operators.TensorOps.Resize;

/// <summary>
/// tf_crop_and_resize with a box that reaches outside the input: runs the resize, then writes the extrapolation value
/// at every output element whose coordinate on some axis lies outside. ONNX interpolates one axis at a time and
/// returns the value for an outside coordinate, so an element outside on any axis is exactly that value.
/// </summary>
internal sealed unsafe class ResizeExtrapolationKernel(IKernel resize, int[] output, ResizeAxisMap[] maps, float value) : IKernel
{
    public long ScratchBytes => resize.ScratchBytes;

    public void Run(in KernelArgs args)
    {
        resize.Run(args);
        var y = (float*)args.Outputs[0];
        long count = Shape.ElementCount(output);
        int rank = output.Length;
        for (long i = 0; i < count; i++)
        {
            long rest = i;
            for (int d = rank - 1; d >= 0; d--)
            {
                int coordinate = (int)(rest % output[d]);
                rest /= output[d];
                if (maps[d].Outside is { } outside && outside[coordinate])
                {
                    y[i] = value;
                    break;
                }
            }
        }
    }
}
