using System.Numerics;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// MaxPool with its second output, Indices (ONNX): channels-first, 1 to 3 spatial axes. Each index is the flat
/// position of the maximum in the input tensor: (n * C + c) * pixels plus the pixel's offset, row-major
/// (storage_order 0) or column-major over the spatial axes (1), as ONNX Runtime computes it. The first maximum in
/// window order wins; a window of padding only gives the type's lowest value and index -1.
/// </summary>
internal sealed unsafe class MaxPoolIndicesKernel<T> : IKernel where T : unmanaged, INumber<T>, IMinMaxValue<T>
{
    private readonly int _planes;
    private readonly bool _columnMajor;
    private readonly int[] _in, _out, _kernel, _strides, _dilations, _pads;
    private readonly long _inPixels, _outPixels;

    public MaxPoolIndicesKernel(int batch, int channels, int[] spatial, SpatialWindow window, bool columnMajor)
    {
        _planes = batch * channels;
        _columnMajor = columnMajor;
        _in = Pad3(spatial, 1);
        _out = Pad3(window.Output, 1);
        _kernel = Pad3(window.Kernel, 1);
        _strides = Pad3(window.Strides, 1);
        _dilations = Pad3(window.Dilations, 1);
        _pads = Pad3(window.PadsBegin, 0);
        _inPixels = (long)_in[0] * _in[1] * _in[2];
        _outPixels = (long)_out[0] * _out[1] * _out[2];
        // Column-major numbers the spatial axes in reverse order: only the axes the model has take part.
        _spatialRank = spatial.Length;
    }

    private readonly int _spatialRank;

    public long ScratchBytes => 0;

    /// <summary>Leading axes of size 1 (or pad 0) make every input a 3-D one.</summary>
    private static int[] Pad3(int[] values, int fill) => [.. Enumerable.Repeat(fill, 3 - values.Length), .. values];

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (T*)args.Outputs[0];
        var indices = (long*)args.Outputs[1];
        for (long plane = 0; plane < _planes; plane++)
        {
            T* source = x + plane * _inPixels;
            long o = plane * _outPixels;
            for (int od = 0; od < _out[0]; od++)
                for (int oh = 0; oh < _out[1]; oh++)
                    for (int ow = 0; ow < _out[2]; ow++, o++)
                    {
                        var (best, at) = Max(source, od, oh, ow);
                        y[o] = best;
                        indices[o] = at < 0 ? -1 : plane * _inPixels + at;
                    }
        }
    }

    private (T Best, long At) Max(T* x, int od, int oh, int ow)
    {
        T best = T.MinValue;
        long at = -1;
        for (int kd = 0; kd < _kernel[0]; kd++)
        {
            int id = od * _strides[0] - _pads[0] + kd * _dilations[0];
            if (id < 0 || id >= _in[0]) continue;
            for (int kh = 0; kh < _kernel[1]; kh++)
            {
                int ih = oh * _strides[1] - _pads[1] + kh * _dilations[1];
                if (ih < 0 || ih >= _in[1]) continue;
                for (int kw = 0; kw < _kernel[2]; kw++)
                {
                    int iw = ow * _strides[2] - _pads[2] + kw * _dilations[2];
                    if (iw < 0 || iw >= _in[2]) continue;
                    T value = x[((long)id * _in[1] + ih) * _in[2] + iw];
                    if (value > best)
                    {
                        best = value;
                        at = _columnMajor ? ColumnMajor(id, ih, iw) : ((long)id * _in[1] + ih) * _in[2] + iw;
                    }
                }
            }
        }
        return (best, at);
    }

    // The last spatial axis varies slowest: w * (H * D) + h * D + d over the model's own axes.
    private long ColumnMajor(int id, int ih, int iw) => _spatialRank switch
    {
        1 => iw,
        2 => (long)iw * _in[1] + ih,
        _ => ((long)iw * _in[1] + ih) * _in[0] + id,
    };
}
