using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Image;

/// <summary>
/// The whole AIPP pipeline in one pass over the output: for each output pixel, read the source bytes (channel swap),
/// map through the crop offset, convert colour space with the integer matrix, and normalise through a 256-entry table
/// per channel (the normalisation of a byte is exact in float64, rounded once); padding pixels get padding_value.
/// Parallel over output rows.
/// </summary>
internal sealed unsafe class AippPreprocessKernel : IKernel
{
    private readonly AippParameters _p;
    private readonly AippGeometry _g;
    // [channel * 256 + byte]: (byte - mean - min) * var_reci.
    private readonly float[] _normalised;

    public AippPreprocessKernel(AippParameters p, AippGeometry g)
    {
        _p = p;
        _g = g;
        int channels = p.OutputChannels;
        _normalised = new float[channels * 256];
        for (int c = 0; c < channels; c++)
            for (int v = 0; v < 256; v++)
                _normalised[c * 256 + v] = (float)(((double)v - p.Mean[c] - p.Min[c]) * p.VarReci[c]);
    }

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        fixed (float* table = _normalised)
        {
            var body = new Rows(this, (byte*)args.Inputs[0], (float*)args.Outputs[0], table);
            ParallelRange.For(args.Workers, (long)_g.Batch * _g.OutputHeight, _g.OutputWidth * _p.OutputChannels * 8L, ref body);
        }
    }

    private readonly struct Rows(AippPreprocessKernel k, byte* source, float* destination, float* table) : IRangeBody
    {
        public void Run(long start, long end)
        {
            for (long row = start; row < end; row++) k.Row((int)(row / k._g.OutputHeight), (int)(row % k._g.OutputHeight), source, destination, table);
        }
    }

    private void Row(int n, int y, byte* source, float* destination, float* table)
    {
        var g = _g;
        int channels = _p.OutputChannels, outH = g.OutputHeight, outW = g.OutputWidth;
        long imageFloats = (long)channels * outH * outW;
        float* image = destination + n * imageFloats;
        int sy = y - _p.PadTop;
        bool paddingRow = sy < 0 || sy >= g.CropHeight;
        Span<int> pixel = stackalloc int[3];
        for (int x = 0; x < outW; x++)
        {
            int sx = x - _p.PadLeft;
            if (paddingRow || sx < 0 || sx >= g.CropWidth)
            {
                for (int c = 0; c < channels; c++) Store(image, c, y, x, _p.PaddingValue);
                continue;
            }
            ReadPixel(source, n, _p.CropTop + sy, _p.CropLeft + sx, pixel);
            if (_p.Csc) Convert(pixel);
            for (int c = 0; c < channels; c++) Store(image, c, y, x, table[c * 256 + pixel[c]]);
        }
    }

    private void Store(float* image, int c, int y, int x, float value)
    {
        int channels = _p.OutputChannels, h = _g.OutputHeight, w = _g.OutputWidth;
        if (_p.ChannelsLast) image[((long)y * w + x) * channels + c] = value;
        else image[((long)c * h + y) * w + x] = value;
    }

    /// <summary>The pixel's channels after the swaps: R,G,B (or B,G,R), Y,U,V (or Y,V,U), or grey in pixel[0].</summary>
    private void ReadPixel(byte* source, int n, int sy, int sx, Span<int> pixel)
    {
        int h = _g.SourceHeight, w = _g.SourceWidth;
        switch (_p.Format)
        {
            case AippSourceFormat.Yuv400:
                pixel[0] = source[(long)n * h * w + (long)sy * w + sx];
                return;
            case AippSourceFormat.Yuv420Sp:
            {
                byte* image = source + (long)n * h * w * 3 / 2;
                pixel[0] = image[(long)sy * w + sx];
                // The UV plane starts after H rows of Y; each U,V pair covers 2x2 pixels.
                long uv = (long)(h + sy / 2) * w + (sx & ~1);
                pixel[1] = image[uv];
                pixel[2] = image[uv + 1];
                break;
            }
            case AippSourceFormat.Rgb888:
            {
                byte* p = source + (((long)n * h + sy) * w + sx) * 3;
                pixel[0] = p[0];
                pixel[1] = p[1];
                pixel[2] = p[2];
                break;
            }
            default:
            {
                byte* p = source + (((long)n * h + sy) * w + sx) * 4;
                int first = _p.AxSwap ? 0 : 1; // X,R,G,B or, swapped, R,G,B,X
                pixel[0] = p[first];
                pixel[1] = p[first + 1];
                pixel[2] = p[first + 2];
                break;
            }
        }
        if (!_p.RbuvSwap) return;
        // R<->B for RGB images; U<->V for YUV (NV21 stores V first).
        int other = _p.Format == AippSourceFormat.Yuv420Sp ? 1 : 0;
        (pixel[other], pixel[2]) = (pixel[2], pixel[other]);
    }

    /// <summary>CSC: out_i = clamp(((sum_j m_ij * (in_j - input_bias_j)) >> 8) + output_bias_i, 0, 255).</summary>
    private void Convert(Span<int> pixel)
    {
        var m = _p.Matrix;
        int a = pixel[0] - _p.InputBias[0], b = pixel[1] - _p.InputBias[1], c = pixel[2] - _p.InputBias[2];
        for (int i = 0; i < 3; i++)
        {
            int v = ((m[i * 3] * a + m[i * 3 + 1] * b + m[i * 3 + 2] * c) >> 8) + _p.OutputBias[i];
            pixel[i] = v < 0 ? 0 : v > 255 ? 255 : v;
        }
    }
}
