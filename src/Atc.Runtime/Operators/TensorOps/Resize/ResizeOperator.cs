using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.TensorOps.Resize;

/// <summary>
/// Resize: X, optional scales (float32, constant), optional sizes (int64, constant); exactly one of them, with one
/// value per axis or one per spatial axis (placed by attr layout). Attrs: mode ("nearest" default, "linear",
/// "cubic" with cubic_coeff_a (-0.75) and exclude_outside (0)); coordinate_transformation_mode ("half_pixel"
/// default, "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn"); nearest_mode
/// ("round_prefer_floor" default, "round_prefer_ceil", "floor", "ceil"). Nearest works on any rank and type;
/// linear and cubic filter the two spatial axes of a 4-D float32 tensor. "tf_crop_and_resize" samples the box of
/// attr roi (per axis start fractions, then end fractions; the importer reads ONNX's roi input) and writes attr
/// extrapolation_value where a coordinate falls outside the input (float32 only). With layout "NHWC", attr
/// target_order "NCHW" says a full 4-value scales or sizes list is in NCHW axis order (a list computed at run time
/// from the NCHW model, e.g. Shape/Slice/Concat, which the layout pass cannot re-lay as it does a constant).
/// </summary>
internal sealed class ResizeOperator() : Operator(OpTypes.Resize)
{
    public const string RoiAttribute = "roi";
    public const string ExtrapolationAttribute = "extrapolation_value";
    public const string TargetOrderAttribute = "target_order";

    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Any);
        return One(x.Type, Plan(context, x).Output);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        var plan = Plan(context, x);
        var maps = new ResizeAxisMap[x.Rank];
        for (int d = 0; d < x.Rank; d++) maps[d] = ResizeAxisMap.Create(plan.Options, x.Dims[d], plan.Output[d], plan.Scales[d], plan.RoiStart[d], plan.RoiEnd[d]);
        IKernel kernel = plan.Options.Filter == ResizeFilter.Nearest
            ? TypeDispatch.Move(x.Type.SizeOf(), new NearestFactory(x.Dims, plan.Output, maps))
            : plan.Nhwc
                ? new SeparableResizeNhwcKernel(x.Dims, plan.Output, maps[1], maps[2], Math.Max(1, SeparableResizeNhwcKernel.CacheFloats / (plan.Output[3] * maps[1].Taps)))
                : new SeparableResizeNchwKernel(x.Dims, plan.Output, maps[2], maps[3]);
        if (!maps.Any(m => m.Outside is not null)) return kernel;
        if (x.Type != DataType.Float32)
            throw Error($"tf_crop_and_resize with a box reaching outside the input writes extrapolation_value, which needs float32, got {x.Type.Name()}");
        return new ResizeExtrapolationKernel(kernel, plan.Output, maps, plan.Options.ExtrapolationValue);
    }

    private sealed record ResizePlan(int[] Output, double[] Scales, bool Nhwc, ResizeOptions Options, double[] RoiStart, double[] RoiEnd);

    private ResizePlan Plan(OpContext context, TensorType x)
    {
        var a = context.Attributes;
        string mode = a.GetString("mode", "nearest");
        var filter = mode switch
        {
            "nearest" => ResizeFilter.Nearest,
            "linear" or "bilinear" => ResizeFilter.Linear,
            "cubic" or "bicubic" => ResizeFilter.Cubic,
            _ => throw Error($"mode '{mode}' is not supported (nearest, linear, cubic)"),
        };
        string coordinate = a.GetString("coordinate_transformation_mode", "half_pixel");
        if (coordinate is not ("half_pixel" or "pytorch_half_pixel" or "align_corners" or "asymmetric" or "tf_half_pixel_for_nn" or "tf_crop_and_resize"))
            throw Error($"coordinate_transformation_mode '{coordinate}' is not supported (half_pixel, pytorch_half_pixel, align_corners, asymmetric, tf_half_pixel_for_nn, tf_crop_and_resize)");
        string nearest = a.GetString("nearest_mode", "round_prefer_floor");
        if (nearest is not ("round_prefer_floor" or "round_prefer_ceil" or "floor" or "ceil"))
            throw Error($"nearest_mode '{nearest}' is not supported (round_prefer_floor, round_prefer_ceil, floor, ceil)");
        string layout = a.GetString("layout", "NCHW");
        if (layout is not ("NCHW" or "NHWC")) throw Error($"layout '{layout}' must be NCHW or NHWC");
        bool nhwc = layout == "NHWC";
        var options = new ResizeOptions(filter, coordinate, nearest, a.GetFloat("cubic_coeff_a", -0.75f), a.GetInt("exclude_outside", 0) != 0,
            a.GetFloat(ExtrapolationAttribute, 0f));

        int rank = x.Rank;
        var spatial = nhwc ? Enumerable.Range(1, Math.Max(0, rank - 2)).ToArray() : Enumerable.Range(2, Math.Max(0, rank - 2)).ToArray();
        var scalesTensor = context.HasInput(1) ? context.RequireConstant(1, "Resize scales") : null;
        var sizesTensor = context.HasInput(2) ? context.RequireConstant(2, "Resize sizes") : null;
        if (scalesTensor is { ElementCount: 0 }) scalesTensor = null;
        if (sizesTensor is { ElementCount: 0 }) sizesTensor = null;
        double[]? givenScales = scalesTensor?.ToDoubleArray() ?? (a.Has("scales") ? [.. a.GetFloats("scales", []).Select(f => (double)f)] : null);
        long[]? givenSizes = sizesTensor?.ToInt64Array();
        if ((givenScales is null) == (givenSizes is null)) throw Error("exactly one of scales and sizes must be given");
        string targetOrder = a.GetString(TargetOrderAttribute, layout);
        if (targetOrder is not ("NCHW" or "NHWC")) throw Error($"target_order '{targetOrder}' must be NCHW or NHWC");
        if (nhwc && targetOrder == "NCHW" && rank == 4)
        {
            // NCHW axis order [N, C, H, W] read as NHWC [N, H, W, C].
            if (givenScales is { Length: 4 } s) givenScales = [s[0], s[2], s[3], s[1]];
            if (givenSizes is { Length: 4 } z) givenSizes = [z[0], z[2], z[3], z[1]];
        }

        var (roiStart, roiEnd) = Roi(a, rank, spatial, coordinate);
        var output = (int[])x.Dims.Clone();
        var scales = Enumerable.Repeat(1.0, rank).ToArray();
        int count = givenScales?.Length ?? givenSizes!.Length;
        int[] axes = count == rank ? [.. Enumerable.Range(0, rank)]
            : count == spatial.Length ? spatial
            : throw Error($"{(givenScales is null ? "sizes" : "scales")} has {count} values; expected {rank} (every axis) or {spatial.Length} (spatial axes) for {Shape.Format(x.Dims)}");
        for (int i = 0; i < axes.Length; i++)
        {
            int d = axes[i];
            if (givenScales is not null)
            {
                double s = givenScales[i];
                if (!(s > 0)) throw Error($"scale {s} for axis {d} must be positive");
                // ONNX: the box's share of the input is what the scale applies to (1 without a box).
                output[d] = checked((int)Math.Floor(x.Dims[d] * (roiEnd[d] - roiStart[d]) * s));
                scales[d] = s;
            }
            else
            {
                long s = givenSizes![i];
                if (s < 0 || s > int.MaxValue) throw Error($"size {s} for axis {d} is invalid");
                output[d] = (int)s;
                scales[d] = x.Dims[d] == 0 ? 1 : (double)s / x.Dims[d];
            }
        }
        if (filter != ResizeFilter.Nearest)
        {
            if (rank != 4) throw Error($"{mode} mode needs a 4-D input, got {Shape.Format(x.Dims)}");
            if (x.Type != DataType.Float32) throw Error($"{mode} mode needs float32, got {x.Type.Name()}");
            for (int d = 0; d < rank; d++)
            {
                if (!spatial.Contains(d) && output[d] != x.Dims[d])
                    throw Error($"{mode} mode resizes only the spatial axes; axis {d} would change from {x.Dims[d]} to {output[d]}");
            }
        }
        return new ResizePlan(output, scales, nhwc, options, roiStart, roiEnd);
    }

    /// <summary>tf_crop_and_resize's box as start and end fractions per axis (0 and 1 elsewhere): attr roi has one
    /// start and one end per axis, or per spatial axis.</summary>
    private (double[] Start, double[] End) Roi(OpAttributes a, int rank, int[] spatial, string coordinate)
    {
        var start = new double[rank];
        var end = Enumerable.Repeat(1.0, rank).ToArray();
        if (coordinate != "tf_crop_and_resize") return (start, end);
        var roi = a.GetFloats(RoiAttribute, []);
        int[] axes = roi.Length == 2 * rank ? [.. Enumerable.Range(0, rank)]
            : roi.Length == 2 * spatial.Length ? spatial
            : throw Error($"tf_crop_and_resize needs roi with {2 * rank} values (a start and an end per axis), got {roi.Length}");
        for (int i = 0; i < axes.Length; i++)
        {
            start[axes[i]] = roi[i];
            end[axes[i]] = roi[axes.Length + i];
        }
        return (start, end);
    }

    private readonly struct NearestFactory(int[] input, int[] output, ResizeAxisMap[] maps) : IMoveKernelFactory
    {
        public IKernel Create<T>() where T : unmanaged => new NearestResizeKernel<T>(input, output, maps);
    }
}

internal enum ResizeFilter { Nearest, Linear, Cubic }

internal sealed record ResizeOptions(ResizeFilter Filter, string CoordinateMode, string NearestMode, double CubicA, bool ExcludeOutside,
    float ExtrapolationValue = 0f);

/// <summary>
/// Nearest resize on any rank. Axes after the last resized one are copied as blocks (the channels of NHWC data: a
/// pixel is one copy); an output row whose source row is the previous output row's (up-sampling) is a copy of that
/// row, so a ×2 nearest up-sampling reads each input row once and a 1x1 → HxW resize is a broadcast.
/// </summary>
internal sealed unsafe class NearestResizeKernel<T> : IKernel where T : unmanaged
{
    private readonly int[] _output;
    private readonly ResizeAxisMap[] _maps;
    private readonly long[] _inputStrides;
    /// <summary>The last axis whose map is not the identity (the row axis); -1 when nothing is resized.</summary>
    private readonly int _rowAxis;
    /// <summary>Elements after the row axis, copied as one block per row-axis index.</summary>
    private readonly long _block;

    public NearestResizeKernel(int[] input, int[] output, ResizeAxisMap[] maps)
    {
        _output = output;
        _maps = maps;
        _inputStrides = new long[input.Length];
        long stride = 1;
        for (int d = input.Length - 1; d >= 0; d--) { _inputStrides[d] = stride; stride *= input[d]; }
        _rowAxis = -1;
        for (int d = input.Length - 1; d >= 0 && _rowAxis < 0; d--)
            if (input[d] != output[d] || maps[d].Nearest.Where((source, o) => source != o).Any()) _rowAxis = d;
        _block = 1;
        for (int d = _rowAxis + 1; d < output.Length; d++) _block *= output[d];
    }

    public long ScratchBytes => 0;

    public void Run(in KernelArgs args)
    {
        var x = (T*)args.Inputs[0];
        var y = (T*)args.Outputs[0];
        long count = Shape.ElementCount(_output);
        if (count == 0) return;
        if (_rowAxis < 0)
        {
            new ReadOnlySpan<T>(x, checked((int)count)).CopyTo(new Span<T>(y, checked((int)count)));
            return;
        }
        long rowLength = _output[_rowAxis] * _block;
        var body = new Rows(this, x, y, rowLength);
        ParallelRange.For(args.Workers, count / rowLength, rowLength, ref body);
    }

    private readonly struct Rows(NearestResizeKernel<T> k, T* x, T* y, long rowLength) : IRangeBody
    {
        public void Run(long start, long end)
        {
            int axis = k._rowAxis;
            long block = k._block;
            var columns = k._maps[axis].Nearest;
            long previous = -1;
            for (long r = start; r < end; r++)
            {
                long rest = r, offset = 0;
                for (int d = axis - 1; d >= 0; d--)
                {
                    int i = (int)(rest % k._output[d]);
                    rest /= k._output[d];
                    offset += k._maps[d].Nearest[i] * k._inputStrides[d];
                }
                T* destination = y + r * rowLength;
                if (offset == previous)
                {
                    Buffer.MemoryCopy(destination - rowLength, destination, rowLength * sizeof(T), rowLength * sizeof(T));
                    continue;
                }
                previous = offset;
                T* source = x + offset;
                long stride = k._inputStrides[axis];
                if (block == 1)
                {
                    for (int i = 0; i < columns.Length; i++) destination[i] = source[columns[i] * stride];
                    continue;
                }
                long bytes = block * sizeof(T);
                for (int i = 0; i < columns.Length; i++)
                    Buffer.MemoryCopy(source + columns[i] * stride, destination + i * block, bytes, bytes);
            }
        }
    }
}
