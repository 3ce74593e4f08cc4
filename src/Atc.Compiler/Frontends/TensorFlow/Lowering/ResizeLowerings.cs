using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>
/// ResizeBilinear, ResizeNearestNeighbor and ResizeBicubic (images NHWC, size [2] of new height and width) as the
/// canonical Resize with sizes on the spatial axes. TensorFlow's two flags pick the source coordinate of output
/// index o (scale = in/out, or (in-1)/(out-1) with align_corners):
/// <list type="bullet">
/// <item>neither: o·scale ("asymmetric");</item>
/// <item>align_corners: o·(in-1)/(out-1) ("align_corners"); nearest rounds half up (roundf);</item>
/// <item>half_pixel_centers: (o+0.5)·scale-0.5 ("half_pixel"); nearest floors (o+0.5)·scale ("tf_half_pixel_for_nn").</item>
/// </list>
/// Nearest without half pixels floors. Bicubic uses Keys' a = -0.75 with edge-clamped taps, or with half_pixel_centers
/// a = -0.5 with out-of-image taps dropped and the rest renormalised (exclude_outside).
/// </summary>
internal static class ResizeLowerings
{
    public static void Register(Dictionary<string, TfLowering> table)
    {
        table["ResizeBilinear"] = (c, n) => Resize(c, n, "linear");
        table["ResizeNearestNeighbor"] = (c, n) => Resize(c, n, "nearest");
        table["ResizeBicubic"] = (c, n) => Resize(c, n, "cubic");
    }

    private static void Resize(TfLoweringContext c, TfNode node, string mode)
    {
        c.RequireInputs(node, 2);
        bool alignCorners = node.GetBool("align_corners", false);
        bool halfPixel = node.GetBool("half_pixel_centers", false);
        if (alignCorners && halfPixel)
            throw new AtcException(AtcErrors.InvalidModel("node [" + node.Name + "] (" + node.Op
                + ") sets both align_corners and half_pixel_centers, which TensorFlow rejects; set at most one of them"));

        var images = c.Input(node, 0);
        if (images.Shape is { } shape && shape.Length != 4)
            throw new AtcException(AtcErrors.InvalidModel("the images of node [" + node.Name + "] (" + node.Op + ") have shape "
                + Shape.Format(shape) + ", expected 4 dimensions [batch, height, width, channels]"));
        var size = c.Input(node, 1);
        if (size.Constant is { } sizeValues)
        {
            var hw = sizeValues.ToInt64Array();
            if (hw.Length != 2 || hw.Any(d => d < 1))
                throw new AtcException(AtcErrors.InvalidModel("the size of node [" + node.Name + "] (" + node.Op + ") is ["
                    + string.Join(",", hw) + "], expected two positive values [new_height, new_width]"));
        }

        var attributes = new OpAttributes()
            .Set("mode", mode)
            .Set("layout", "NHWC")
            .Set("coordinate_transformation_mode", CoordinateMode(mode, alignCorners, halfPixel));
        if (mode == "nearest") attributes.Set("nearest_mode", alignCorners ? "round_prefer_ceil" : "floor");
        if (mode == "cubic")
        {
            attributes.Set("cubic_coeff_a", halfPixel ? -0.5f : -0.75f);
            attributes.Set("exclude_outside", halfPixel ? 1L : 0L);
        }
        // TensorFlow's bilinear and bicubic resizes return float32 for every input type.
        if (mode != "nearest" && images.Type != DataType.Float32)
            images = c.EmitHelper(node, "to_float", OpTypes.Cast, [images], DataType.Float32,
                new OpAttributes().Set("to", (long)DataType.Float32));
        // Resize's inputs: X, scales (omitted), sizes.
        c.Emit(node, OpTypes.Resize, [images, null, c.AsInt64(node, size)], images.Type, attributes);
    }

    private static string CoordinateMode(string mode, bool alignCorners, bool halfPixel)
        => alignCorners ? "align_corners"
            : !halfPixel ? "asymmetric"
            : mode == "nearest" ? "tf_half_pixel_for_nn"
            : "half_pixel";
}
