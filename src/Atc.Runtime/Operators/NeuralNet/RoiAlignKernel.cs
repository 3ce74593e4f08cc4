namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// RoiAlign as ONNX's reference (Caffe2's RoIAlign): each output bin averages (or, for "max", takes the largest
/// weighted corner of) a regular grid of bilinear samples; a sample more than one pixel outside the image counts as
/// zero. The sample positions and weights are shared by every channel of a roi.
/// </summary>
internal sealed unsafe class RoiAlignKernel(RoiAlignSpec spec, int[] xDims, int roiCount, bool int64) : IKernel
{
    private readonly int _batch = xDims[0], _channels = xDims[1], _height = xDims[2], _width = xDims[3];

    public long ScratchBytes => 0;

    private readonly record struct Sample(int Offset1, int Offset2, int Offset3, int Offset4, double W1, double W2, double W3, double W4);

    public void Run(in KernelArgs args)
    {
        var x = (float*)args.Inputs[0];
        var rois = (float*)args.Inputs[1];
        void* indices = (void*)args.Inputs[2];
        var y = (float*)args.Outputs[0];
        long plane = (long)_height * _width, outPlane = (long)spec.OutputHeight * spec.OutputWidth;
        var samples = new List<Sample>();
        for (int r = 0; r < roiCount; r++)
        {
            long b = int64 ? ((long*)indices)[r] : ((int*)indices)[r];
            if (b < 0 || b >= _batch)
                throw new InferenceInputException($"{OpTypes.RoiAlign}: batch_indices[{r}] is {b}, outside [0, {_batch}); pass the batch entry each roi belongs to");
            double offset = spec.HalfPixel ? 0.5 : 0;
            double startW = rois[r * 4] * spec.SpatialScale - offset, startH = rois[r * 4 + 1] * spec.SpatialScale - offset;
            double roiW = rois[r * 4 + 2] * spec.SpatialScale - offset - startW, roiH = rois[r * 4 + 3] * spec.SpatialScale - offset - startH;
            if (!spec.HalfPixel)
            {
                roiW = Math.Max(roiW, 1);
                roiH = Math.Max(roiH, 1);
            }
            double binH = roiH / spec.OutputHeight, binW = roiW / spec.OutputWidth;
            int gridH = spec.SamplingRatio > 0 ? spec.SamplingRatio : (int)Math.Ceiling(roiH / spec.OutputHeight);
            int gridW = spec.SamplingRatio > 0 ? spec.SamplingRatio : (int)Math.Ceiling(roiW / spec.OutputWidth);
            double count = Math.Max(gridH * gridW, 1);
            for (int ph = 0; ph < spec.OutputHeight; ph++)
            {
                for (int pw = 0; pw < spec.OutputWidth; pw++)
                {
                    samples.Clear();
                    for (int iy = 0; iy < gridH; iy++)
                        for (int ix = 0; ix < gridW; ix++)
                            samples.Add(Bilinear(startH + ph * binH + (iy + 0.5) * binH / gridH, startW + pw * binW + (ix + 0.5) * binW / gridW));
                    for (int c = 0; c < _channels; c++)
                    {
                        float* image = x + (b * _channels + c) * plane;
                        double value = spec.Max ? double.MinValue : 0;
                        foreach (var s in samples)
                        {
                            double v1 = s.W1 * image[s.Offset1], v2 = s.W2 * image[s.Offset2], v3 = s.W3 * image[s.Offset3], v4 = s.W4 * image[s.Offset4];
                            value = spec.Max ? Math.Max(value, Math.Max(Math.Max(v1, v2), Math.Max(v3, v4))) : value + v1 + v2 + v3 + v4;
                        }
                        if (samples.Count == 0) value = 0;
                        y[((long)r * _channels + c) * outPlane + ph * spec.OutputWidth + pw] = (float)(spec.Max ? value : value / count);
                    }
                }
            }
        }
    }

    /// <summary>The four corners and weights of one sample; all weights 0 more than one pixel outside the image.</summary>
    private Sample Bilinear(double y, double x)
    {
        if (y < -1 || y > _height || x < -1 || x > _width) return default;
        y = Math.Max(y, 0);
        x = Math.Max(x, 0);
        int yLow = (int)y, xLow = (int)x, yHigh, xHigh;
        if (yLow >= _height - 1) { yHigh = yLow = _height - 1; y = yLow; } else yHigh = yLow + 1;
        if (xLow >= _width - 1) { xHigh = xLow = _width - 1; x = xLow; } else xHigh = xLow + 1;
        double ly = y - yLow, lx = x - xLow, hy = 1 - ly, hx = 1 - lx;
        return new Sample(yLow * _width + xLow, yLow * _width + xHigh, yHigh * _width + xLow, yHigh * _width + xHigh,
            hy * hx, hy * lx, ly * hx, ly * lx);
    }
}
