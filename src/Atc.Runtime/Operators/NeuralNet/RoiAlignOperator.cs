using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// RoiAlign (ONNX 10/16): X [N, C, H, W] float32, rois [R, 4] (x1, y1, x2, y2 in input coordinates before
/// spatial_scale), batch_indices [R] (int64) → [R, C, output_height, output_width]. Attrs mode ("avg", "max"),
/// output_height (1), output_width (1), sampling_ratio (0: ceil(roi size / output size) samples per bin),
/// spatial_scale (1), coordinate_transformation_mode ("half_pixel": shift by -0.5; "output_half_pixel": no shift and
/// rois of at least one pixel, opset 10's rule).
/// </summary>
internal sealed class RoiAlignOperator() : Operator(OpTypes.RoiAlign)
{
    public static readonly string[] Modes = ["avg", "max"];
    public static readonly string[] CoordinateModes = ["half_pixel", "output_half_pixel"];

    public override TensorType[] InferOutputs(OpContext context)
    {
        var x = RequireType(context, 0, Numeric.Float);
        var rois = RequireType(context, 1, Numeric.Float);
        var indices = RequireType(context, 2, Numeric.Indices);
        if (x.Rank != 4) throw Error($"X must be [N, C, H, W], got {x}");
        if (rois.Rank != 2 || rois.Dims[1] != 4) throw Error($"rois must be [R, 4], got {rois}");
        if (indices.Rank != 1 || indices.Dims[0] != rois.Dims[0]) throw Error($"batch_indices must be [{rois.Dims[0]}] (one per roi), got {indices}");
        var spec = Spec(context);
        return One(x.Type, [rois.Dims[0], x.Dims[1], spec.OutputHeight, spec.OutputWidth]);
    }

    public override IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var x = context.Input(0);
        return new RoiAlignKernel(Spec(context), x.Dims, context.Input(1).Dims[0], context.Input(2).Type == DataType.Int64);
    }

    private RoiAlignSpec Spec(OpContext context)
    {
        var a = context.Attributes;
        string mode = a.GetString("mode", "avg"), coordinates = a.GetString("coordinate_transformation_mode", "half_pixel");
        if (Array.IndexOf(Modes, mode) < 0) throw Error($"mode '{mode}' must be one of {string.Join(", ", Modes)}");
        if (Array.IndexOf(CoordinateModes, coordinates) < 0)
            throw Error($"coordinate_transformation_mode '{coordinates}' must be one of {string.Join(", ", CoordinateModes)}");
        long height = a.GetInt("output_height", 1), width = a.GetInt("output_width", 1), sampling = a.GetInt("sampling_ratio", 0);
        if (height < 1 || width < 1 || height > int.MaxValue || width > int.MaxValue)
            throw Error($"output_height {height} and output_width {width} must be positive");
        if (sampling < 0 || sampling > int.MaxValue) throw Error($"sampling_ratio {sampling} must be ≥ 0");
        return new RoiAlignSpec(mode == "max", coordinates == "half_pixel", (int)height, (int)width, (int)sampling, a.GetFloat("spatial_scale", 1f));
    }
}

internal readonly record struct RoiAlignSpec(bool Max, bool HalfPixel, int OutputHeight, int OutputWidth, int SamplingRatio, float SpatialScale);
