using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>Inputs and output of a quantised convolution (ConvInteger or QLinearConv), channels first.</summary>
internal sealed record QuantizedConvSpec(ConvGeometry Geometry, DataType XType, DataType WType, int XInput, int WInput,
    int XZeroInput, int WZeroInput, int WZeroCount)
{
    /// <summary>QLinearConv's requantisation (x_scale, w_scale with 1 or O entries, y_scale, y_zero_point, optional int32
    /// bias input or -1); null for ConvInteger (int32 output).</summary>
    public (int XScale, int WScale, int WScaleCount, int YScale, int YZero, int Bias, DataType YType)? Requantize { get; init; }
}

/// <summary>
/// ConvInteger and QLinearConv as one <see cref="Int8Gemm"/> per image and group: the window is gathered (im2col, the
/// padding filled with x's zero point so that it contributes nothing) into rows of output pixels, the weights of the
/// group are B transposed. QLinearConv adds the int32 bias to the accumulator and requantises with
/// x_scale · w_scale[o] / y_scale, as ONNX Runtime does.
/// </summary>
internal sealed unsafe class QuantizedConvKernel(QuantizedConvSpec spec, bool vnni) : IKernel
{
    private const int RowsPerTask = 32;
    private readonly QuantizedConvSpec _spec = spec;
    private readonly bool _vnni = vnni;
    private readonly ConvGeometry _g = spec.Geometry;

    private int Depth => _g.InChannelsPerGroup * _g.KernelSize;
    private static long Align(long bytes) => (bytes + 63) & ~63L;

    public long ScratchBytes => Align((long)_g.OutPixels * Depth) + Align((long)_g.OutPixels * Int8Gemm.PaddedDepth(Depth))
        + Align(4L * _g.OutPixels) + Align(Int8Gemm.PackedBBytes(Depth, _g.OutChannelsPerGroup)) + Align(4L * _g.OutChannelsPerGroup)
        + Align(4L * _g.OutPixels * _g.OutChannelsPerGroup);

    public void Run(in KernelArgs args)
    {
        bool xSigned = _spec.XType == DataType.Int8, wSigned = _spec.WType == DataType.Int8;
        int xZeroRaw = _spec.XZeroInput >= 0 && args.Inputs[_spec.XZeroInput] != 0 ? QuantizedParameters.Read(args.Inputs[_spec.XZeroInput], _spec.XType, 0) : 0;
        int[] xZero = [xZeroRaw + (xSigned ? 128 : 0)];
        var wZeroAll = new int[_g.OutChannels];
        bool hasWZero = _spec.WZeroInput >= 0 && args.Inputs[_spec.WZeroInput] != 0;
        for (int o = 0; o < wZeroAll.Length; o++)
            wZeroAll[o] = (hasWZero ? QuantizedParameters.Read(args.Inputs[_spec.WZeroInput], _spec.WType, _spec.WZeroCount == 1 ? 0 : o) : 0) + (wSigned ? 0 : -128);

        float[]? multipliers = null;
        int yZero = 0;
        int* bias = null;
        if (_spec.Requantize is { } q)
        {
            float xScale = *(float*)args.Inputs[q.XScale], yScale = *(float*)args.Inputs[q.YScale];
            var wScale = (float*)args.Inputs[q.WScale];
            multipliers = new float[_g.OutChannels];
            for (int o = 0; o < multipliers.Length; o++) multipliers[o] = xScale * wScale[q.WScaleCount == 1 ? 0 : o] / yScale;
            yZero = QuantizedParameters.Read(args.Inputs[q.YZero], q.YType, 0);
            if (q.Bias >= 0 && args.Inputs.Length > q.Bias && args.Inputs[q.Bias] != 0) bias = (int*)args.Inputs[q.Bias];
        }

        int pixels = _g.OutPixels, depth = Depth, outPerGroup = _g.OutChannelsPerGroup;
        byte* scratch = (byte*)args.Scratch;
        byte* columns = scratch; scratch += Align((long)pixels * depth);
        byte* packedA = scratch; scratch += Align((long)pixels * Int8Gemm.PaddedDepth(depth));
        int* rowSums = (int*)scratch; scratch += Align(4L * pixels);
        sbyte* packedB = (sbyte*)scratch; scratch += Align(Int8Gemm.PackedBBytes(depth, outPerGroup));
        int* columnSums = (int*)scratch; scratch += Align(4L * outPerGroup);
        int* accumulators = (int*)scratch;

        var x = (byte*)args.Inputs[_spec.XInput];
        var w = (byte*)args.Inputs[_spec.WInput];
        for (int n = 0; n < _g.Batch; n++)
            for (int group = 0; group < _g.Groups; group++)
            {
                Gather(x + ((long)n * _g.InChannels + group * _g.InChannelsPerGroup) * _g.InPixels, (byte)xZeroRaw, columns);
                Int8Gemm.PackA(columns, xSigned, pixels, depth, depth, packedA, rowSums);
                Int8Gemm.PackB(w + (long)group * outPerGroup * depth, wSigned, depth, outPerGroup, 1, depth, packedB, columnSums);
                var body = new Body(this, packedA, packedB, rowSums, columnSums, accumulators, xZero,
                    wZeroAll.AsSpan(group * outPerGroup, outPerGroup).ToArray(), multipliers, yZero, bias,
                    args.Outputs[0], n, group);
                args.Workers.For((pixels + RowsPerTask - 1) / RowsPerTask, ref body);
            }
    }

    /// <summary>im2col of one image and group: row p holds the window of output pixel p, channel-major like W.</summary>
    private void Gather(byte* x, byte padding, byte* columns)
    {
        int depth = Depth;
        for (int od = 0; od < _g.OutD; od++)
            for (int oh = 0; oh < _g.OutH; oh++)
                for (int ow = 0; ow < _g.OutW; ow++)
                {
                    byte* row = columns + (long)((od * _g.OutH + oh) * _g.OutW + ow) * depth;
                    int k = 0;
                    for (int c = 0; c < _g.InChannelsPerGroup; c++)
                        for (int kd = 0; kd < _g.KD; kd++)
                        {
                            int id = od * _g.SD - _g.PD + kd * _g.DD;
                            for (int kh = 0; kh < _g.KH; kh++)
                            {
                                int ih = oh * _g.SH - _g.PH + kh * _g.DH;
                                for (int kw = 0; kw < _g.KW; kw++, k++)
                                {
                                    int iw = ow * _g.SW - _g.PW + kw * _g.DW;
                                    bool inside = (uint)id < (uint)_g.InD && (uint)ih < (uint)_g.InH && (uint)iw < (uint)_g.InW;
                                    row[k] = inside ? x[(long)c * _g.InPixels + ((long)id * _g.InH + ih) * _g.InW + iw] : padding;
                                }
                            }
                        }
                }
    }

    private readonly struct Body(QuantizedConvKernel kernel, byte* packedA, sbyte* packedB, int* rowSums, int* columnSums,
        int* c, int[] xZero, int[] wZero, float[]? multipliers, int yZero, int* bias, nint output, int image, int group) : IParallelBody
    {
        public void Invoke(int index)
        {
            var g = kernel._g;
            int pixels = g.OutPixels, outPerGroup = g.OutChannelsPerGroup;
            int start = index * RowsPerTask, end = Math.Min(pixels, start + RowsPerTask);
            Int8Gemm.MultiplyRaw(packedA, start, end, kernel.Depth, packedB, outPerGroup, c, outPerGroup, kernel._vnni);
            Int8Gemm.ApplyZeroPoints(c, outPerGroup, start, end, outPerGroup, kernel.Depth, rowSums, columnSums, xZero, wZero);
            for (int j = 0; j < outPerGroup; j++)
            {
                int o = group * outPerGroup + j;
                long plane = ((long)image * g.OutChannels + o) * pixels;
                if (multipliers is null)
                {
                    for (int p = start; p < end; p++) ((int*)output)[plane + p] = c[(long)p * outPerGroup + j];
                    continue;
                }
                var type = kernel._spec.Requantize!.Value.YType;
                var (min, max) = QuantizedParameters.Range(type);
                int b = bias is null ? 0 : bias[o];
                for (int p = start; p < end; p++)
                {
                    float scaled = unchecked(c[(long)p * outPerGroup + j] + b) * multipliers[o];
                    QuantizedParameters.Write(output, type, plane + p, QuantizedParameters.RoundAndSaturate(scaled, yZero, min, max));
                }
            }
        }
    }
}
