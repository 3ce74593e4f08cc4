namespace Atc.TestModels.TensorFlow;

/// <summary>A float64 tensor of the reference: row-major data with its dims.</summary>
internal sealed record RefTensor(int[] Dims, double[] Data)
{
    public static RefTensor Of(int[] dims, IEnumerable<float> values) => new(dims, [.. values.Select(v => (double)v)]);

    public static RefTensor Zeros(params int[] dims) => new(dims, new double[dims.Aggregate(1, (p, d) => p * d)]);

    public int Offset(params int[] index)
    {
        int offset = 0;
        for (int i = 0; i < Dims.Length; i++) offset = offset * Dims[i] + index[i];
        return offset;
    }

    public double this[params int[] index]
    {
        get => Data[Offset(index)];
        set => Data[Offset(index)] = value;
    }

    /// <summary>The multi-index of flat position <paramref name="flat"/>.</summary>
    public int[] Index(int flat)
    {
        var index = new int[Dims.Length];
        for (int i = Dims.Length - 1; i >= 0; i--) { index[i] = flat % Dims[i]; flat /= Dims[i]; }
        return index;
    }

    public float[] ToFloats() => [.. Data.Select(v => (float)v)];
}

/// <summary>
/// Independent float64 loops of TensorFlow ops, written from TensorFlow's op documentation (NHWC unless stated), to
/// check what the compiler lowers them to. Deliberately naive: one output element at a time, straight from the formula.
/// </summary>
internal static class TfReference
{
    /// <summary>TensorFlow's Conv2D "SAME" padding of one axis: (before, after).</summary>
    public static (int Before, int After) SamePads(int size, int kernel, int stride, int dilation)
    {
        int output = (size + stride - 1) / stride;
        int total = Math.Max(0, (output - 1) * stride + (kernel - 1) * dilation + 1 - size);
        return (total / 2, total - total / 2);
    }

    /// <summary>Conv2D (group 1) or depthwise (filter [kh, kw, C, M], output channel c·M + m) on NHWC with explicit pads.</summary>
    public static RefTensor Conv2D(RefTensor x, RefTensor filter, int[] strides, int[] dilations, int[] padBegin, int[] padEnd, bool depthwise = false)
    {
        int n = x.Dims[0], h = x.Dims[1], w = x.Dims[2], c = x.Dims[3];
        int kh = filter.Dims[0], kw = filter.Dims[1], fo = filter.Dims[3];
        int oh = (h + padBegin[0] + padEnd[0] - ((kh - 1) * dilations[0] + 1)) / strides[0] + 1;
        int ow = (w + padBegin[1] + padEnd[1] - ((kw - 1) * dilations[1] + 1)) / strides[1] + 1;
        int outChannels = depthwise ? c * fo : fo;
        var y = RefTensor.Zeros(n, oh, ow, outChannels);
        for (int b = 0; b < n; b++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        for (int o = 0; o < outChannels; o++)
        {
            double sum = 0;
            for (int p = 0; p < kh; p++)
            for (int q = 0; q < kw; q++)
            {
                int r = i * strides[0] + p * dilations[0] - padBegin[0], s = j * strides[1] + q * dilations[1] - padBegin[1];
                if (r < 0 || r >= h || s < 0 || s >= w) continue;
                if (depthwise) sum += x[b, r, s, o / fo] * filter[p, q, o / fo, o % fo];
                else for (int k = 0; k < c; k++) sum += x[b, r, s, k] * filter[p, q, k, o];
            }
            y[b, i, j, o] = sum;
        }
        return y;
    }

    /// <summary>Conv2DBackpropInput: the gradient of Conv2D with respect to an NHWC input of <paramref name="inputSizes"/>:
    /// every out_backprop element scatters through the filter onto the input positions the forward conv read.</summary>
    public static RefTensor Conv2DBackpropInput(int[] inputSizes, RefTensor filter, RefTensor dy, int[] strides, int[] dilations, int[] padBegin)
    {
        var dx = RefTensor.Zeros(inputSizes);
        int h = inputSizes[1], w = inputSizes[2], c = inputSizes[3];
        int kh = filter.Dims[0], kw = filter.Dims[1], o = filter.Dims[3];
        for (int b = 0; b < dy.Dims[0]; b++)
        for (int i = 0; i < dy.Dims[1]; i++)
        for (int j = 0; j < dy.Dims[2]; j++)
        for (int p = 0; p < kh; p++)
        for (int q = 0; q < kw; q++)
        {
            int r = i * strides[0] + p * dilations[0] - padBegin[0], s = j * strides[1] + q * dilations[1] - padBegin[1];
            if (r < 0 || r >= h || s < 0 || s >= w) continue;
            for (int k = 0; k < c; k++)
            for (int m = 0; m < o; m++)
                dx[b, r, s, k] += dy[b, i, j, m] * filter[p, q, k, m];
        }
        return dx;
    }

    /// <summary>SpaceToBatchND: output[(i1..iM)·B + b, j1, .., jM, rest] = padded[b, j1·b1 + i1, ..., rest] with the block
    /// offsets (i1..iM) row-major in the output batch's high part.</summary>
    public static RefTensor SpaceToBatchND(RefTensor x, int[] block, int[] padBegin, int[] padEnd)
    {
        int m = block.Length, batch = x.Dims[0], product = block.Aggregate(1, (p, b) => p * b);
        var dims = (int[])x.Dims.Clone();
        dims[0] = batch * product;
        for (int i = 0; i < m; i++) dims[1 + i] = (x.Dims[1 + i] + padBegin[i] + padEnd[i]) / block[i];
        var y = RefTensor.Zeros(dims);
        for (int flat = 0; flat < y.Data.Length; flat++)
        {
            var index = y.Index(flat);
            int offsets = index[0] / batch;
            var source = (int[])index.Clone();
            source[0] = index[0] % batch;
            bool inside = true;
            for (int i = m - 1; i >= 0; i--)
            {
                int offset = offsets % block[i];
                offsets /= block[i];
                int padded = index[1 + i] * block[i] + offset;
                source[1 + i] = padded - padBegin[i];
                inside &= source[1 + i] >= 0 && source[1 + i] < x.Dims[1 + i];
            }
            y.Data[flat] = inside ? x[source] : 0;
        }
        return y;
    }

    /// <summary>BatchToSpaceND: the inverse rearrangement of SpaceToBatchND, then the crops.</summary>
    public static RefTensor BatchToSpaceND(RefTensor x, int[] block, int[] cropBegin, int[] cropEnd)
    {
        int m = block.Length, product = block.Aggregate(1, (p, b) => p * b), batch = x.Dims[0] / product;
        var dims = (int[])x.Dims.Clone();
        dims[0] = batch;
        for (int i = 0; i < m; i++) dims[1 + i] = x.Dims[1 + i] * block[i] - cropBegin[i] - cropEnd[i];
        var y = RefTensor.Zeros(dims);
        for (int flat = 0; flat < y.Data.Length; flat++)
        {
            var index = y.Index(flat);
            var source = (int[])index.Clone();
            int offsets = 0;
            for (int i = 0; i < m; i++)
            {
                int uncropped = index[1 + i] + cropBegin[i];
                source[1 + i] = uncropped / block[i];
                offsets = offsets * block[i] + uncropped % block[i];
            }
            source[0] = offsets * batch + index[0];
            y.Data[flat] = x[source];
        }
        return y;
    }

    /// <summary>ResizeBilinear / ResizeNearestNeighbor / ResizeBicubic ("bilinear", "nearest", "bicubic") of NHWC images,
    /// from TensorFlow's scaler rules: scale = in/out, or (in-1)/(out-1) with align_corners (out &gt; 1).</summary>
    public static RefTensor Resize(RefTensor x, int outH, int outW, string mode, bool alignCorners, bool halfPixelCenters)
    {
        int n = x.Dims[0], h = x.Dims[1], w = x.Dims[2], c = x.Dims[3];
        double scaleH = Scale(h, outH, alignCorners), scaleW = Scale(w, outW, alignCorners);
        var y = RefTensor.Zeros(n, outH, outW, c);
        for (int b = 0; b < n; b++)
        for (int i = 0; i < outH; i++)
        for (int j = 0; j < outW; j++)
        for (int k = 0; k < c; k++)
        {
            y[b, i, j, k] = mode switch
            {
                "nearest" => x[b, Nearest(i, scaleH, h, alignCorners, halfPixelCenters), Nearest(j, scaleW, w, alignCorners, halfPixelCenters), k],
                "bilinear" => Bilinear(x, b, k, Source(i, scaleH, halfPixelCenters), Source(j, scaleW, halfPixelCenters)),
                _ => Bicubic(x, b, k, Source(i, scaleH, halfPixelCenters), Source(j, scaleW, halfPixelCenters), halfPixelCenters),
            };
        }
        return y;
    }

    private static double Scale(int input, int output, bool alignCorners)
        => alignCorners && output > 1 ? (input - 1.0) / (output - 1.0) : (double)input / output;

    private static double Source(int o, double scale, bool halfPixel) => halfPixel ? (o + 0.5) * scale - 0.5 : o * scale;

    private static int Nearest(int o, double scale, int input, bool alignCorners, bool halfPixel)
    {
        double source = halfPixel ? (o + 0.5) * scale : o * scale;
        // roundf rounds halves away from zero; the coordinates here are never negative.
        int index = (int)(alignCorners ? Math.Floor(source + 0.5) : Math.Floor(source));
        return Math.Clamp(index, 0, input - 1);
    }

    private static double Bilinear(RefTensor x, int b, int k, double sy, double sx)
    {
        int h = x.Dims[1], w = x.Dims[2];
        int y0 = (int)Math.Floor(sy), x0 = (int)Math.Floor(sx);
        double dy = sy - y0, dx = sx - x0;
        int top = Math.Clamp(y0, 0, h - 1), bottom = Math.Clamp(y0 + 1, 0, h - 1);
        int left = Math.Clamp(x0, 0, w - 1), right = Math.Clamp(x0 + 1, 0, w - 1);
        // TensorFlow bounds floor(x) below at 0 and ceil(x) above at in-1: a source before the first row reads row 0 only.
        double upper = x[b, top, left, k] + (x[b, top, right, k] - x[b, top, left, k]) * dx;
        double lower = x[b, bottom, left, k] + (x[b, bottom, right, k] - x[b, bottom, left, k]) * dx;
        return upper + (lower - upper) * dy;
    }

    /// <summary>Keys' cubic: a = -0.75 with edge-clamped taps; with half pixel centers a = -0.5 and taps outside the
    /// image dropped with the weights renormalised. (TensorFlow reads the weights from a 1024-entry table; exact here.)</summary>
    private static double Bicubic(RefTensor x, int b, int k, double sy, double sx, bool halfPixel)
    {
        var (rows, rowWeights) = CubicTaps(sy, x.Dims[1], halfPixel);
        var (cols, colWeights) = CubicTaps(sx, x.Dims[2], halfPixel);
        double sum = 0;
        for (int p = 0; p < 4; p++)
            for (int q = 0; q < 4; q++)
                sum += rowWeights[p] * colWeights[q] * x[b, rows[p], cols[q], k];
        return sum;
    }

    private static (int[] Index, double[] Weight) CubicTaps(double source, int size, bool halfPixel)
    {
        double a = halfPixel ? -0.5 : -0.75;
        int start = (int)Math.Floor(source);
        double t = source - start;
        var index = new int[4];
        var weight = new double[4];
        double total = 0;
        for (int i = 0; i < 4; i++)
        {
            int tap = start - 1 + i;
            double d = Math.Abs(t - (i - 1));
            double wgt = d <= 1 ? ((a + 2) * d - (a + 3)) * d * d + 1 : d < 2 ? ((a * d - 5 * a) * d + 8 * a) * d - 4 * a : 0;
            if (halfPixel && (tap < 0 || tap >= size)) wgt = 0;
            index[i] = Math.Clamp(tap, 0, size - 1);
            weight[i] = wgt;
            total += wgt;
        }
        if (halfPixel && total != 0) for (int i = 0; i < 4; i++) weight[i] /= total;
        return (index, weight);
    }

    /// <summary>DepthToSpace on NHWC: output[b, h·s + i, w·s + j, c] = input[b, h, w, (i·s + j)·C_out + c].</summary>
    public static RefTensor DepthToSpace(RefTensor x, int s)
    {
        int cOut = x.Dims[3] / (s * s);
        var y = RefTensor.Zeros(x.Dims[0], x.Dims[1] * s, x.Dims[2] * s, cOut);
        for (int flat = 0; flat < y.Data.Length; flat++)
        {
            var o = y.Index(flat);
            y.Data[flat] = x[o[0], o[1] / s, o[2] / s, ((o[1] % s) * s + o[2] % s) * cOut + o[3]];
        }
        return y;
    }

    /// <summary>SpaceToDepth on NHWC: the inverse of <see cref="DepthToSpace"/>.</summary>
    public static RefTensor SpaceToDepth(RefTensor x, int s)
    {
        int c = x.Dims[3];
        var y = RefTensor.Zeros(x.Dims[0], x.Dims[1] / s, x.Dims[2] / s, c * s * s);
        for (int flat = 0; flat < y.Data.Length; flat++)
        {
            var o = y.Index(flat);
            int block = o[3] / c, channel = o[3] % c;
            y.Data[flat] = x[o[0], o[1] * s + block / s, o[2] * s + block % s, channel];
        }
        return y;
    }

    /// <summary>Axes permuted: output axis i is input axis perm[i] (NHWC ↔ NCHW for the data_format tests).</summary>
    public static RefTensor Transpose(RefTensor x, params int[] perm)
    {
        var y = RefTensor.Zeros([.. perm.Select(p => x.Dims[p])]);
        for (int flat = 0; flat < y.Data.Length; flat++)
        {
            var o = y.Index(flat);
            var source = new int[o.Length];
            for (int i = 0; i < o.Length; i++) source[perm[i]] = o[i];
            y.Data[flat] = x[source];
        }
        return y;
    }

    public static RefTensor Map(RefTensor x, Func<double, double> f) => new(x.Dims, [.. x.Data.Select(f)]);

    /// <summary>Adds a per-channel bias on the last axis.</summary>
    public static RefTensor BiasAdd(RefTensor x, double[] bias)
        => new(x.Dims, [.. x.Data.Select((v, i) => v + bias[i % bias.Length])]);
}
