using System.Numerics;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// MaxPool with its second output, Indices (ONNX): channels-first, 1 to 3 spatial axes. Each index is the flat
/// position of the maximum in the input tensor: (n * C + c) * pixels plus the pixel's offset, row-major
/// (storage_order 0) or column-major over the spatial axes (1), as ONNX Runtime computes it. The first maximum in
/// window order wins; a window of padding only gives the type's lowest value and index -1.
/// </summary>
internal sealed unsafe class MaxPoolIndicesKernel<T>(int batch, int channels, int[] spatial, SpatialWindow window, bool columnMajor) : IKernel
    where T : unmanaged, INumber<T>, IMinMaxValue<T>
{
    private readonly MaxPoolWindow _window = new(spatial, window);

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (T*)args.Outputs[0];
        var indices = (long*)args.Outputs[1];
        var w = _window;
        long inPixels = w.InPixels, outPixels = w.OutPixels;
        for (long plane = 0; plane < (long)batch * channels; plane++)
        {
            T* source = x + plane * inPixels;
            long o = plane * outPixels;
            for (int od = 0; od < w.Out[0]; od++)
                for (int oh = 0; oh < w.Out[1]; oh++)
                    for (int ow = 0; ow < w.Out[2]; ow++, o++)
                    {
                        var (best, at) = w.Max(source, 1, od, oh, ow);
                        y[o] = best;
                        indices[o] = at < 0 ? -1 : plane * inPixels + (columnMajor ? ColumnMajor(at) : at);
                    }
        }
    }

    // The last spatial axis varies slowest: w * (H * D) + h * D + d over the model's own axes.
    private long ColumnMajor(long rowMajor)
    {
        var input = _window.In;
        long iw = rowMajor % input[2], ih = rowMajor / input[2] % input[1], id = rowMajor / ((long)input[1] * input[2]);
        return _window.SpatialRank switch
        {
            1 => iw,
            2 => iw * input[1] + ih,
            _ => (iw * input[1] + ih) * input[0] + id,
        };
    }
}
