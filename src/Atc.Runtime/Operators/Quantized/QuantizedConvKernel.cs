using Atc.Runtime.MicroKernels;
using Atc.Runtime.MicroKernels.Int8;

namespace Atc.Runtime.Operators.Quantized;

/// <summary>Inputs and output of a quantised convolution (ConvInteger or QLinearConv), channels first.</summary>
internal sealed record QuantizedConvSpec(ConvGeometry Geometry, DataType XType, DataType WType, int XInput, int WInput,
    int XZeroInput, int WZeroInput, int WZeroCount)
{
    /// <summary>QLinearConv's requantisation (x_scale, w_scale with 1 or O entries, y_scale, y_zero_point, optional int32
    /// bias input or -1); null for ConvInteger (int32 output).</summary>
    public (int XScale, int WScale, int WScaleCount, int YScale, int YZero, int Bias, DataType YType)? Requantize { get; init; }

    /// <summary>A fused Relu/Clip as quantised bounds of the output (intersected with its type's range).</summary>
    public (int Min, int Max) OutputClamp { get; init; } = (int.MinValue, int.MaxValue);
}

/// <summary>
/// ConvInteger and QLinearConv as int8 GEMMs per image and group with the weights as the unsigned operand: output
/// channels are rows, output pixels columns, so the result lands channels first with no transpose. The weights are
/// packed once (<see cref="Int8WeightPanels"/>, stored in the .om through <see cref="PrepackedWeights"/>) with their
/// row sums; per run the input is gathered into [K, P] rows (im2col; a pointwise conv reads its input in place), the
/// padding filled with x's zero point so that it contributes nothing, and packed into column panels with their sums.
/// The zero points, the int32 bias and the requantisation (x_scale · w_scale[o] / y_scale, round half to even, y's
/// zero point, saturation and a fused Relu/Clip) are applied as each tile is stored, as ONNX Runtime computes them.
/// </summary>
internal sealed unsafe class QuantizedConvKernel : IKernel
{
    private const int PanelsPerTask = 4;
    private const int RowBlocksPerTask = 4;
    private readonly QuantizedConvSpec _spec;
    private readonly ConvGeometry _g;
    private readonly Int8Path _path;
    private readonly byte* _packedWeights;
    private readonly AlignedBuffer? _weightsOwner;

    public QuantizedConvKernel(QuantizedConvSpec spec, OpContext context, Int8Path path)
    {
        _spec = spec;
        _g = spec.Geometry;
        _path = path;
        if (context.Constant(spec.WInput) is not null)
        {
            bool signed = spec.WType == DataType.Int8;
            int m = _g.OutChannelsPerGroup, k = Depth, groups = _g.Groups;
            long perGroup = Int8WeightPanels.PackedBytes(m, k);
            string key = PrepackedWeights.Key("int8-weight-panels/v1", ("signed", signed ? 1 : 0), ("groups", groups),
                ("m", m), ("k", k), ("rows", Int8Tile.Rows));
            var packed = PrepackedWeights.Acquire(context, spec.WInput, key, (WeightBytes + 3) / 4, (raw, destination) =>
            {
                byte* bytes = (byte*)destination;
                int* rowSums = (int*)(bytes + groups * perGroup);
                for (int group = 0; group < groups; group++)
                    Int8WeightPanels.Pack(new FloatInt8Source(raw), (long)group * m * k, signed, m, k, bytes + group * perGroup, rowSums + group * m);
            });
            _packedWeights = (byte*)packed.Pointer;
            _weightsOwner = packed.Owner;
        }
    }

    private int Depth => _g.InChannelsPerGroup * _g.KernelSize;
    private int Panels => (_g.OutPixels + Int8Tile.Columns - 1) / Int8Tile.Columns;
    private long GroupWeightBytes => Int8WeightPanels.PackedBytes(_g.OutChannelsPerGroup, Depth);
    private long WeightBytes => _g.Groups * GroupWeightBytes + 4L * _g.OutChannels;
    private bool ReadsInPlace => _g.IsPointwise;
    private static long Align(long bytes) => (bytes + 63) & ~63L;

    public long ScratchBytes
        => (ReadsInPlace ? 0 : Align((long)Depth * _g.OutPixels)) + Align(Panels * Int8ActivationPanels.PanelBytes(Depth))
           + Align(4L * Panels * Int8Tile.Columns) + 3 * Align(4L * _g.OutChannels)
           + (_packedWeights == null ? Align(WeightBytes) : 0);

    public void Run(in KernelArgs args)
    {
        int pixels = _g.OutPixels, depth = Depth, panels = Panels;
        byte* scratch = (byte*)args.Scratch;
        byte* rows = null;
        if (!ReadsInPlace) { rows = scratch; scratch += Align((long)depth * pixels); }
        sbyte* panelData = (sbyte*)scratch; scratch += Align(panels * Int8ActivationPanels.PanelBytes(depth));
        int* columnSums = (int*)scratch; scratch += Align(4L * panels * Int8Tile.Columns);
        var terms = new Int8RowTerms((int*)scratch, (int*)(scratch + Align(4L * _g.OutChannels)), (float*)(scratch + 2 * Align(4L * _g.OutChannels)));
        scratch += 3 * Align(4L * _g.OutChannels);
        byte* weights = _packedWeights;
        if (weights == null)
        {
            weights = scratch;
            PackRuntimeWeights((byte*)args.Inputs[_spec.WInput], weights);
        }
        var range = Prepare(args, (int*)(weights + _g.Groups * GroupWeightBytes), terms);
        if (_spec.Requantize is null) terms = new Int8RowTerms(terms.Offset, terms.ZeroPoint, null);

        byte flip = _spec.XType == DataType.UInt8 ? (byte)0x80 : (byte)0;
        byte padding = (byte)XZeroRaw(args);
        int outputSize = _spec.Requantize is null ? 4 : 1;
        var x = (byte*)args.Inputs[_spec.XInput];
        for (int n = 0; n < _g.Batch; n++)
            for (int group = 0; group < _g.Groups; group++)
            {
                byte* image = x + ((long)n * _g.InChannels + group * _g.InChannelsPerGroup) * _g.InPixels;
                byte* source = image;
                if (!ReadsInPlace)
                {
                    var gather = new GatherBody(this, image, rows, padding);
                    args.Workers.For(depth, ref gather);
                    source = rows;
                }
                var pack = new PackBody(this, source, flip, panelData, columnSums);
                args.Workers.For(panels, ref pack);
                int rowBlocks = Int8WeightPanels.RowBlocks(_g.OutChannelsPerGroup);
                int pixelTasks = (panels + PanelsPerTask - 1) / PanelsPerTask, rowTasks = (rowBlocks + RowBlocksPerTask - 1) / RowBlocksPerTask;
                var multiply = new MultiplyBody(this, weights + group * GroupWeightBytes, panelData, columnSums, terms, range,
                    args.Outputs[0] + (nint)((long)n * _g.OutChannels * pixels * outputSize), group * _g.OutChannelsPerGroup, pixelTasks, outputSize);
                args.Workers.For(pixelTasks * rowTasks, ref multiply);
            }
    }

    private int XZeroRaw(in KernelArgs args)
        => _spec.XZeroInput >= 0 && _spec.XZeroInput < args.Inputs.Length && args.Inputs[_spec.XZeroInput] != 0
            ? QuantizedParameters.Read(args.Inputs[_spec.XZeroInput], _spec.XType, 0) : 0;

    /// <summary>Fills the per-channel terms: offset = bias - zx'·Σw' + K·zw'·zx' (zero points shifted like their
    /// operands), zw', and the multipliers; returns the output's zero point and clamp.</summary>
    private Int8OutputRange Prepare(in KernelArgs args, int* rowSums, Int8RowTerms terms)
    {
        int xZero = XZeroRaw(args) - (_spec.XType == DataType.UInt8 ? 128 : 0);
        bool hasWZero = _spec.WZeroInput >= 0 && _spec.WZeroInput < args.Inputs.Length && args.Inputs[_spec.WZeroInput] != 0;
        int wShift = _spec.WType == DataType.Int8 ? 128 : 0, depth = Depth;
        int* bias = null;
        float xScale = 0, yScale = 1;
        float* wScale = null;
        if (_spec.Requantize is { } q)
        {
            xScale = *(float*)args.Inputs[q.XScale];
            yScale = *(float*)args.Inputs[q.YScale];
            wScale = (float*)args.Inputs[q.WScale];
            if (q.Bias >= 0 && args.Inputs.Length > q.Bias && args.Inputs[q.Bias] != 0) bias = (int*)args.Inputs[q.Bias];
        }
        bool finite = true;
        for (int o = 0; o < _g.OutChannels; o++)
        {
            int wZero = (hasWZero ? QuantizedParameters.Read(args.Inputs[_spec.WZeroInput], _spec.WType, _spec.WZeroCount == 1 ? 0 : o) : 0) + wShift;
            terms.ZeroPoint[o] = wZero;
            terms.Offset[o] = unchecked((bias == null ? 0 : bias[o]) - xZero * rowSums[o] + depth * wZero * xZero);
            if (_spec.Requantize is { } r)
            {
                float multiplier = xScale * wScale[r.WScaleCount == 1 ? 0 : o] / yScale;
                terms.Multiplier[o] = multiplier;
                finite &= float.IsFinite(multiplier);
            }
        }
        if (_spec.Requantize is not { } requantize) return new Int8OutputRange(0, 0, 0, false, true);
        var (min, max) = QuantizedParameters.Range(requantize.YType);
        int yZero = QuantizedParameters.Read(args.Inputs[requantize.YZero], requantize.YType, 0);
        return new Int8OutputRange(yZero, Math.Max(min, _spec.OutputClamp.Min), Math.Min(max, _spec.OutputClamp.Max),
            requantize.YType == DataType.Int8, finite);
    }

    private void PackRuntimeWeights(byte* w, byte* destination)
    {
        int m = _g.OutChannelsPerGroup, k = Depth;
        bool signed = _spec.WType == DataType.Int8;
        int* rowSums = (int*)(destination + _g.Groups * GroupWeightBytes);
        for (int group = 0; group < _g.Groups; group++)
            Int8WeightPanels.Pack(new ByteInt8Source(w, signed), (long)group * m * k, signed, m, k, destination + group * GroupWeightBytes, rowSums + group * m);
    }

    /// <summary>im2col row k (channel, kd, kh, kw; W's order) over every output pixel.</summary>
    private void GatherRow(byte* x, int k, byte* row, byte padding)
    {
        var g = _g;
        int kw = k % g.KW, kh = k / g.KW % g.KH, kd = k / (g.KW * g.KH) % g.KD, c = k / g.KernelSize;
        byte* plane = x + (long)c * g.InPixels;
        for (int od = 0; od < g.OutD; od++)
        {
            int id = od * g.SD - g.PD + kd * g.DD;
            for (int oh = 0; oh < g.OutH; oh++, row += g.OutW)
            {
                int ih = oh * g.SH - g.PH + kh * g.DH;
                if ((uint)id >= (uint)g.InD || (uint)ih >= (uint)g.InH)
                {
                    new Span<byte>(row, g.OutW).Fill(padding);
                    continue;
                }
                byte* line = plane + ((long)id * g.InH + ih) * g.InW;
                int shift = kw * g.DW - g.PW;
                if (g.SW == 1)
                {
                    // iw = ow + shift is inside for ow in [lo, hi).
                    int lo = Math.Clamp(-shift, 0, g.OutW), hi = Math.Clamp(g.InW - shift, lo, g.OutW);
                    new Span<byte>(row, lo).Fill(padding);
                    new ReadOnlySpan<byte>(line + lo + shift, hi - lo).CopyTo(new Span<byte>(row + lo, hi - lo));
                    new Span<byte>(row + hi, g.OutW - hi).Fill(padding);
                    continue;
                }
                for (int ow = 0; ow < g.OutW; ow++)
                {
                    int iw = ow * g.SW + shift;
                    row[ow] = (uint)iw < (uint)g.InW ? line[iw] : padding;
                }
            }
        }
    }

    private readonly struct GatherBody(QuantizedConvKernel kernel, byte* image, byte* rows, byte padding) : IParallelBody
    {
        public void Invoke(int index) => kernel.GatherRow(image, index, rows + (long)index * kernel._g.OutPixels, padding);
    }

    private readonly struct PackBody(QuantizedConvKernel kernel, byte* source, byte flip, sbyte* panels, int* columnSums) : IParallelBody
    {
        public void Invoke(int index)
        {
            int depth = kernel.Depth, p0 = index * Int8Tile.Columns;
            sbyte* panel = panels + index * Int8ActivationPanels.PanelBytes(depth);
            Int8ActivationPanels.Pack(kernel._path, source, kernel._g.OutPixels, depth, p0,
                Math.Min(Int8Tile.Columns, kernel._g.OutPixels - p0), flip, panel);
            Int8Tile.ColumnSums(kernel._path, panel, Int8WeightPanels.PaddedDepth(depth) / 4, columnSums + p0);
        }
    }

    private readonly struct MultiplyBody(QuantizedConvKernel kernel, byte* weights, sbyte* panels, int* columnSums,
        Int8RowTerms terms, Int8OutputRange range, nint output, int channel0, int pixelTasks, int outputSize) : IParallelBody
    {
        public void Invoke(int index)
        {
            var g = kernel._g;
            int depth = kernel.Depth, quads = Int8WeightPanels.PaddedDepth(depth) / 4, pixels = g.OutPixels, channels = g.OutChannelsPerGroup;
            int panelStart = index % pixelTasks * PanelsPerTask, panelEnd = Math.Min(kernel.Panels, panelStart + PanelsPerTask);
            int blockStart = index / pixelTasks * RowBlocksPerTask;
            int blockEnd = Math.Min(Int8WeightPanels.RowBlocks(channels), blockStart + RowBlocksPerTask);
            int* tile = stackalloc int[Int8Tile.Rows * Int8Tile.Columns];
            for (int block = blockStart; block < blockEnd; block++)
            {
                byte* a = weights + block * Int8WeightPanels.PanelBytes(depth);
                int row0 = block * Int8Tile.Rows, height = Math.Min(Int8Tile.Rows, channels - row0);
                for (int panel = panelStart; panel < panelEnd; panel++)
                {
                    int p0 = panel * Int8Tile.Columns;
                    Int8Tile.Multiply(kernel._path, a, panels + panel * Int8ActivationPanels.PanelBytes(depth), quads, tile);
                    // Rows are absolute channels: the terms are per channel and the output is the image's base.
                    Int8Requantization.Store(kernel._path, tile, height, Math.Min(Int8Tile.Columns, pixels - p0), channel0 + row0,
                        columnSums + p0, terms, range, output + (nint)((long)p0 * outputSize), pixels);
                }
            }
        }
    }
}
