using System.Numerics;
using System.Runtime.Intrinsics;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// MaxPool on 8-bit integers (ONNX allows int8 and uint8 from opset 12): a direct loop over the window, either
/// layout, 1 to 3 spatial axes (missing axes are treated as size 1). A window that covers only padding gives the
/// type's minimum. 1-D/2-D windows take the vectorised loops below; the rest the shared <see cref="MaxPoolWindow"/> walk.
/// </summary>
internal sealed unsafe class IntegerMaxPoolKernel<T> : IKernel where T : unmanaged, INumber<T>, IMinMaxValue<T>
{
    private readonly int _batch, _channels;
    private readonly bool _channelsLast;
    private readonly MaxPoolWindow _window;
    private readonly int[] _in, _out, _kernel, _strides, _dilations, _pads;

    public IntegerMaxPoolKernel(int batch, int channels, bool channelsLast, int[] spatial, SpatialWindow window)
    {
        _batch = batch;
        _channels = channels;
        _channelsLast = channelsLast;
        _window = new MaxPoolWindow(spatial, window);
        (_in, _out, _kernel, _strides, _dilations, _pads) = (_window.In, _window.Out, _window.Kernel, _window.Strides, _window.Dilations, _window.Pads);
    }

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (T*)args.Outputs[0];
        if (_channelsLast && _kernel[0] == 1 && _in[0] == 1 && _out[0] == 1)
        {
            for (int n = 0; n < _batch; n++)
                PixelsLast(x + (long)n * _in[1] * _in[2] * _channels, y + (long)n * _out[1] * _out[2] * _channels);
            return;
        }
        if (!_channelsLast && _kernel[0] == 1 && _in[0] == 1 && _out[0] == 1 && _in[2] <= 16384)
        {
            // Channels first, 1-D/2-D: plane by plane with the window's row and column ranges hoisted (a quantised
            // CNN's stem pool; the shared walk below computes an offset per tap).
            long inPlane = (long)_in[1] * _in[2], outPlane = (long)_out[1] * _out[2];
            for (long plane = 0; plane < (long)_batch * _channels; plane++)
                Plane(x + plane * inPlane, y + plane * outPlane);
            return;
        }
        // Any other case (3-D windows): each output from the shared clipped-window walk.
        long inPixels = _window.InPixels, outPixels = _window.OutPixels;
        long pixelStride = _channelsLast ? _channels : 1;
        for (int n = 0; n < _batch; n++)
            for (int c = 0; c < _channels; c++)
            {
                T* channel = _channelsLast ? x + (long)n * inPixels * _channels + c : x + ((long)n * _channels + c) * inPixels;
                T* target = _channelsLast ? y + (long)n * outPixels * _channels + c : y + ((long)n * _channels + c) * outPixels;
                long o = 0;
                for (int od = 0; od < _out[0]; od++)
                    for (int oh = 0; oh < _out[1]; oh++)
                        for (int ow = 0; ow < _out[2]; ow++, o++)
                            target[o * pixelStride] = _window.Max(channel, pixelStride, od, oh, ow).Best;
            }
    }

    /// <summary>Channels last, 1-D/2-D: each output pixel is the element-wise max of its taps' channel vectors.</summary>
    private void PixelsLast(T* x, T* y)
    {
        int inH = _in[1], inW = _in[2], channels = _channels;
        int vectorEnd = channels - channels % Vector128<T>.Count;
        for (int oh = 0; oh < _out[1]; oh++)
            for (int ow = 0; ow < _out[2]; ow++, y += channels)
            {
                new Span<T>(y, channels).Fill(T.MinValue);
                for (int i = 0; i < _kernel[1]; i++)
                {
                    int ih = oh * _strides[1] - _pads[1] + i * _dilations[1];
                    if ((uint)ih >= (uint)inH) continue;
                    for (int j = 0; j < _kernel[2]; j++)
                    {
                        int iw = ow * _strides[2] - _pads[2] + j * _dilations[2];
                        if ((uint)iw >= (uint)inW) continue;
                        T* tap = x + ((long)ih * inW + iw) * channels;
                        int c = 0;
                        for (; c < vectorEnd; c += Vector128<T>.Count)
                            Vector128.Max(Vector128.Load(y + c), Vector128.Load(tap + c)).Store(y + c);
                        for (; c < channels; c++)
                            if (tap[c] > y[c]) y[c] = tap[c];
                    }
                }
            }
    }

    /// <summary>One channel plane: the max over the window's rows first (whole rows, vectorised), then over its
    /// columns of that row maximum.</summary>
    private void Plane(T* x, T* y)
    {
        int inH = _in[1], inW = _in[2], kh = _kernel[1], kw = _kernel[2], sh = _strides[1], sw = _strides[2];
        int dh = _dilations[1], dw = _dilations[2], ph = _pads[1], pw = _pads[2];
        T* rowMax = stackalloc T[inW];
        int vectorEnd = inW - inW % Vector128<T>.Count;
        for (int oh = 0; oh < _out[1]; oh++)
        {
            int h0 = oh * sh - ph;
            new Span<T>(rowMax, inW).Fill(T.MinValue);
            for (int i = 0; i < kh; i++)
            {
                int ih = h0 + i * dh;
                if ((uint)ih >= (uint)inH) continue;
                T* row = x + (long)ih * inW;
                int w = 0;
                for (; w < vectorEnd; w += Vector128<T>.Count)
                    Vector128.Max(Vector128.Load(rowMax + w), Vector128.Load(row + w)).Store(rowMax + w);
                for (; w < inW; w++)
                    if (row[w] > rowMax[w]) rowMax[w] = row[w];
            }
            for (int ow = 0; ow < _out[2]; ow++)
            {
                int w0 = ow * sw - pw;
                T best = T.MinValue;
                for (int j = 0; j < kw; j++)
                {
                    int iw = w0 + j * dw;
                    if ((uint)iw < (uint)inW && rowMax[iw] > best) best = rowMax[iw];
                }
                *y++ = best;
            }
        }
    }

}
