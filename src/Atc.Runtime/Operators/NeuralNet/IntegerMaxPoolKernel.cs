using System.Numerics;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// MaxPool on 8-bit integers (ONNX allows int8 and uint8 from opset 12): a direct loop over the window, either
/// layout, 1 to 3 spatial axes (missing axes are treated as size 1). A window that covers only padding gives the
/// type's minimum.
/// </summary>
internal sealed unsafe class IntegerMaxPoolKernel<T> : IKernel where T : unmanaged, INumber<T>, IMinMaxValue<T>
{
    private readonly int _batch, _channels;
    private readonly bool _channelsLast;
    private readonly int[] _in, _out, _kernel, _strides, _dilations, _pads;

    public IntegerMaxPoolKernel(int batch, int channels, bool channelsLast, int[] spatial, SpatialWindow window)
    {
        _batch = batch;
        _channels = channels;
        _channelsLast = channelsLast;
        _in = Pad3(spatial, 1);
        _out = Pad3(window.Output, 1);
        _kernel = Pad3(window.Kernel, 1);
        _strides = Pad3(window.Strides, 1);
        _dilations = Pad3(window.Dilations, 1);
        _pads = Pad3(window.PadsBegin, 0);
    }

    public long ScratchBytes => 0;

    /// <summary>Leading axes of size 1 (or pad 0) make every input a 3-D one.</summary>
    private static int[] Pad3(int[] values, int fill) => [.. Enumerable.Repeat(fill, 3 - values.Length), .. values];

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (T*)args.Outputs[0];
        for (int n = 0; n < _batch; n++)
            for (int c = 0; c < _channels; c++)
                for (int od = 0; od < _out[0]; od++)
                    for (int oh = 0; oh < _out[1]; oh++)
                        for (int ow = 0; ow < _out[2]; ow++)
                            y[Offset(_out, n, c, od, oh, ow)] = Max(x, n, c, od, oh, ow);
    }

    private T Max(T* x, int n, int c, int od, int oh, int ow)
    {
        T best = T.MinValue;
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
                    best = T.Max(best, x[Offset(_in, n, c, id, ih, iw)]);
                }
            }
        }
        return best;
    }

    private long Offset(int[] dims, int n, int c, int d, int h, int w)
    {
        long pixel = ((long)d * dims[1] + h) * dims[2] + w;
        long pixels = (long)dims[0] * dims[1] * dims[2];
        return _channelsLast ? ((long)n * pixels + pixel) * _channels + c : ((long)n * _channels + c) * pixels + pixel;
    }
}
