using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.TensorOps.Resize;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>Resize (opset 10+) and its predecessor Upsample onto the canonical Resize(X, scales?, sizes?). The
/// coordinate rules are written out explicitly: opset 10 and Upsample map output pixel x to x / scale ("asymmetric")
/// and take the floor for nearest; opset 11+ has them as attributes with defaults half_pixel and round_prefer_floor.</summary>
internal static class ResizeLowerings
{
    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        table[OpTypes.Resize] = Resize;
        table["Upsample"] = Upsample;
        table[OpTypes.GridSample] = GridSample;
    }

    private static void Upsample(NodeLowering n)
    {
        var x = n.RequiredInput(0, "X");
        if (n.Opset < 7)
        {
            n.Unsupported("Upsample (opset < 7)");
            return;
        }
        Value scales;
        if (n.Opset < 9)
        {
            var factors = n.Node.Floats("scales");
            if (factors is null)
                throw new Atc.Options.AtcException(Atc.Options.Errors.AtcErrors.InvalidModel($"node {n.Node} has no 'scales' attribute"));
            scales = n.Constant("scales", TensorData.Float([factors.Length], factors));
        }
        else
            scales = n.RequiredInput(1, "scales");
        if (Mode(n) is not { } mode) return;
        EmitResize(n, x, scales, null, mode, "asymmetric", "floor");
    }

    private static void Resize(NodeLowering n)
    {
        var x = n.RequiredInput(0, "X");
        if (Mode(n) is not { } mode) return;
        if (n.Opset < 11)
        {
            EmitResize(n, x, n.RequiredInput(1, "scales"), null, mode, "asymmetric", "floor");
            return;
        }
        string transform = n.Node.String("coordinate_transformation_mode", "half_pixel");
        if (n.Node.Int("antialias", 0) != 0 || n.Node.Has("axes") || n.Node.String("keep_aspect_ratio_policy", "stretch") != "stretch")
        {
            n.Unsupported($"Resize with {UnsupportedFeature(n)}");
            return;
        }
        float[]? roi = null;
        if (transform == "tf_crop_and_resize")
        {
            // The crop box is read at import: the canonical Resize carries it as an attribute (starts, then ends).
            var roiData = n.ConstantInput(1, "roi", out bool ok);
            if (!ok) return;
            roi = roiData?.ToFloatArray() ?? [];
        }
        var node = EmitResize(n, x, NonEmpty(n.Input(2)), NonEmpty(n.Input(3)), mode, transform,
            n.Node.String("nearest_mode", "round_prefer_floor"));
        if (roi is not null)
            node.Attributes.Set(ResizeOperator.RoiAttribute, roi)
                .Set(ResizeOperator.ExtrapolationAttribute, n.Node.Float("extrapolation_value", 0f));
    }

    private static string UnsupportedFeature(NodeLowering n)
    {
        if (n.Node.Int("antialias", 0) != 0) return "antialias";
        if (n.Node.Has("axes")) return "axes";
        return "keep_aspect_ratio_policy";
    }

    private static string? Mode(NodeLowering n)
    {
        string mode = n.Node.String("mode", "nearest");
        if (mode == "bilinear") mode = "linear";
        // Cubic exists from Resize-11 on (Upsample and Resize-10 only have nearest and linear).
        if (mode is "nearest" or "linear" || mode == "cubic" && n.OpType == OpTypes.Resize && n.Opset >= 11) return mode;
        n.Unsupported($"{n.OpType} with mode '{mode}'");
        return null;
    }

    // Opset 11 files pass an empty constant for the unused one of scales and sizes.
    private static Value? NonEmpty(Value? v) => v?.Constant is { ElementCount: 0 } ? null : v;

    private static Node EmitResize(NodeLowering n, Value x, Value? scales, Value? sizes, string mode, string transform, string nearest)
    {
        var attributes = new OpAttributes()
            .Set("mode", mode)
            .Set("coordinate_transformation_mode", transform)
            .Set("nearest_mode", nearest)
            .Set("layout", "NCHW");
        if (mode == "cubic")
            attributes.Set("cubic_coeff_a", n.Node.Float("cubic_coeff_a", -0.75f))
                .Set("exclude_outside", n.Node.Int("exclude_outside", 0));
        var inputs = new List<Value?> { x, scales };
        if (sizes is not null) inputs.Add(sizes);
        return n.Emit(OpTypes.Resize, inputs, attributes, 1);
    }

    /// <summary>GridSample: the attributes as they are (opset 20 renamed bilinear/bicubic to linear/cubic; both are accepted).</summary>
    private static void GridSample(NodeLowering n)
    {
        string mode = n.Node.String("mode", "bilinear"), padding = n.Node.String("padding_mode", "zeros");
        if (Array.IndexOf(GridSampleOperator.Modes, mode) < 0)
            throw new Atc.Options.AtcException(Atc.Options.Errors.AtcErrors.AttributeValueUnsupported(n.Node.Name, n.OpType, "mode", mode, GridSampleOperator.Modes));
        if (Array.IndexOf(GridSampleOperator.PaddingModes, padding) < 0)
            throw new Atc.Options.AtcException(Atc.Options.Errors.AtcErrors.AttributeValueUnsupported(n.Node.Name, n.OpType, "padding_mode", padding, GridSampleOperator.PaddingModes));
        var attributes = new OpAttributes().Set("mode", mode).Set("padding_mode", padding).Set("align_corners", n.Node.Int("align_corners", 0));
        n.Emit(OpTypes.GridSample, [n.RequiredInput(0, "X"), n.RequiredInput(1, "grid")], attributes, 1);
    }
}
