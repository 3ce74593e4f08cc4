using Atc.Compiler.Ir;
using Atc.Compiler.Shapes;
using Atc.Options;
using Atc.Options.Aipp;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Image;

namespace Atc.Compiler.Aipp;

/// <summary>
/// Compiles static AIPP into the front of the graph: each pre-processed input becomes a uint8 NHWC image input of the
/// source size ([N, H*3/2, W, 1] for YUV420SP), read by one <see cref="OpTypes.AippPreprocess"/> node that writes the
/// float32 tensor the original input carried. Sizes are resolved per gear (0 = the model's size) and checked against
/// the model (ATC3103, ATC3104, ATC3107); the gears get the image shapes. Runs after the shape options, before the passes.
/// Dynamic blocks go to <see cref="DynamicAippRewrite"/>.
/// </summary>
public static class AippGraphRewrite
{
    public static GearSet Apply(Graph graph, GearSet gears, AippConfig config)
    {
        if (gears.Kind == GearKind.Range)
            throw new AtcException(AippDiagnostics.NotSupported(config.File, config.Ops[0].Line, config.Ops[0].Column,
                "AIPP with shape ranges (--input_shape with a~b or --input_shape_range) is not supported; use gears or a static shape"));
        var shapes = gears.Gears.Select(g => new Dictionary<string, int[]>(g.InputShapes, StringComparer.Ordinal)).ToList();
        var diagnostics = new List<AtcDiagnostic>();
        foreach (var op in config.Ops)
        {
            if (op.Mode == AippMode.Dynamic) DynamicAippRewrite.Rewrite(graph, op, config.File, gears.Kind, shapes, diagnostics);
            else Rewrite(graph, op, config.File, shapes, diagnostics);
        }
        if (diagnostics.Count > 0) throw new AtcException(diagnostics);
        var rewritten = gears.Gears.Select((g, k) => new Gear(shapes[k], g.Selector)).ToList();
        return new GearSet(gears.Kind, rewritten, gears.Ranges);
    }

    private static void Rewrite(Graph graph, AippOp op, string file, List<Dictionary<string, int[]>> shapes, List<AtcDiagnostic> diagnostics)
    {
        var rankAt = op.PositionOf("related_input_rank");
        if (op.RelatedInputRank >= graph.Inputs.Count)
        {
            diagnostics.Add(AippDiagnostics.InputInvalid(file, rankAt[0], rankAt[1],
                "related_input_rank " + op.RelatedInputRank + " names no model input; the model has " + graph.Inputs.Count + " ("
                + string.Join(", ", graph.Inputs.Select((v, i) => i + ": " + v.Name)) + ")",
                "Set related_input_rank to the 0-based index of the image input."));
            return;
        }
        var input = graph.Inputs[op.RelatedInputRank];
        if (input.Type != DataType.Float32 || input.Shape is not { Length: 4 })
        {
            diagnostics.Add(AippDiagnostics.InputInvalid(file, rankAt[0], rankAt[1],
                "model input " + op.RelatedInputRank + " [" + input + "] is not a 4-D float32 image",
                "Point related_input_rank at the model's 4-D float32 image input."));
            return;
        }
        bool? channelsLast = ChannelsLast(graph, input, op.OutputChannels);
        if (channelsLast is null)
        {
            var at = op.PositionOf("input_format");
            diagnostics.Add(AippDiagnostics.InputInvalid(file, at[0], at[1],
                "input_format " + op.InputFormat + " gives " + op.OutputChannels + " channel(s), but model input [" + input
                + "] has no axis of that size at C (NCHW or NHWC)",
                op.OutputChannels == 1 ? "Use an RGB or YUV input_format for a 3-channel input." : "Use YUV400_U8 for a 1-channel (grey) input, or check --input_shape."));
            return;
        }

        AippParameters? parameters = null;
        var imageShapes = new List<int[]>();
        foreach (var gearShapes in shapes)
        {
            var modelShape = gearShapes[input.Name];
            int h = channelsLast.Value ? modelShape[1] : modelShape[2];
            int w = channelsLast.Value ? modelShape[2] : modelShape[3];
            var resolved = Resolve(op, file, input.Name, modelShape[0], h, w, channelsLast.Value, diagnostics);
            if (resolved is null) return;
            var (gearParameters, imageShape) = resolved.Value;
            if (parameters is not null && !SameCrop(parameters, gearParameters))
            {
                diagnostics.Add(AippDiagnostics.NotSupported(file, op.Line, op.Column,
                    "this aipp_op crops a window whose size changes with the gears (crop_size 0 or a fixed src_image_size with --dynamic_image_size); "
                    + "give crop_size_w/h and src_image_size_w/h as 0 and crop: false to let the source image follow the gear"));
                return;
            }
            parameters ??= gearParameters;
            imageShapes.Add(imageShape);
        }
        if (parameters is null) return;

        var image = new Value(input.Name, DataType.UInt8, Declared(imageShapes));
        input.Name = input.Name + "/aipp";
        var node = new Node("aipp/" + image.Name, OpTypes.AippPreprocess, [image], sourceOpType: "aipp_op");
        parameters.WriteTo(node.Attributes);
        node.AttachOutput(input);
        graph.Nodes.Insert(0, node);
        graph.Inputs[op.RelatedInputRank] = image;
        graph.InputFormats.Remove(input.Name);
        graph.InputFormats[image.Name] = TensorFormat.NHWC;
        for (int g = 0; g < shapes.Count; g++) shapes[g][image.Name] = imageShapes[g];
    }

    /// <summary>The parameters for one gear's model H x W, and the uint8 image shape; null after a diagnostic.</summary>
    private static (AippParameters, int[])? Resolve(AippOp op, string file, string inputName, int batch, int h, int w, bool channelsLast,
        List<AtcDiagnostic> diagnostics)
    {
        int top = op.Padding ? op.TopPaddingSize : 0, bottom = op.Padding ? op.BottomPaddingSize : 0;
        int left = op.Padding ? op.LeftPaddingSize : 0, right = op.Padding ? op.RightPaddingSize : 0;
        int srcH, srcW, cropH, cropW, startH = 0, startW = 0;
        if (op.Crop)
        {
            startH = op.LoadStartPosH;
            startW = op.LoadStartPosW;
            cropH = op.CropSizeH > 0 ? op.CropSizeH : h - top - bottom;
            cropW = op.CropSizeW > 0 ? op.CropSizeW : w - left - right;
            srcH = op.SrcImageSizeH > 0 ? op.SrcImageSizeH : h;
            srcW = op.SrcImageSizeW > 0 ? op.SrcImageSizeW : w;
        }
        else
        {
            srcH = cropH = op.SrcImageSizeH > 0 ? op.SrcImageSizeH : h - top - bottom;
            srcW = cropW = op.SrcImageSizeW > 0 ? op.SrcImageSizeW : w - left - right;
        }
        string sizeField = op.Crop ? "crop_size" : "src_image_size";
        if (cropH + top + bottom != h || cropW + left + right != w || cropH <= 0 || cropW <= 0)
        {
            var at = op.PositionOf(op.Has(sizeField + "_w") ? sizeField + "_w" : op.Has(sizeField + "_h") ? sizeField + "_h" : "input_format");
            diagnostics.Add(AippDiagnostics.SizeMismatch(file, at[0], at[1],
                "(w x h) " + (cropW + left + right) + " x " + (cropH + top + bottom),
                inputName, "(w x h) " + w + " x " + h,
                "Set " + sizeField + "_w: " + (w - left - right) + " and " + sizeField + "_h: " + (h - top - bottom)
                + " (or 0, the model's size), or change the padding sizes."));
            return null;
        }
        if (startH + cropH > srcH || startW + cropW > srcW)
        {
            var at = op.PositionOf(startH + cropH > srcH ? "load_start_pos_h" : "load_start_pos_w");
            diagnostics.Add(AippDiagnostics.CropOutside(file, at[0], at[1], AippOpRules.DescribeWindow(startW, startH, cropW, cropH),
                "(w x h) " + srcW + " x " + srcH));
            return null;
        }
        var format = op.InputFormat switch
        {
            AippInputFormat.YUV420SP_U8 => AippSourceFormat.Yuv420Sp,
            AippInputFormat.RGB888_U8 => AippSourceFormat.Rgb888,
            AippInputFormat.XRGB8888_U8 => AippSourceFormat.Xrgb8888,
            _ => AippSourceFormat.Yuv400,
        };
        if (format == AippSourceFormat.Yuv420Sp && (srcH % 2 != 0 || srcW % 2 != 0))
        {
            diagnostics.Add(AippDiagnostics.InputInvalid(file, op.Line, op.Column,
                "the YUV420SP source image (w x h) " + srcW + " x " + srcH + " (the model's size) has an odd side",
                "Give an even src_image_size_w/h and crop to the model's size."));
            return null;
        }
        int channels = op.OutputChannels;
        var parameters = new AippParameters(format, op.RbuvSwapSwitch, op.AxSwapSwitch,
            startH, startW, op.Crop ? cropH : 0, op.Crop ? cropW : 0,
            op.CscSwitch, [.. op.Matrix], [.. op.InputBias], [.. op.OutputBias],
            op.MeanChn.Take(channels).Select(m => (float)m).ToArray(), op.MinChn.Take(channels).ToArray(), op.VarReciChn.Take(channels).ToArray(),
            top, bottom, left, right, op.PaddingValue, channelsLast);
        int[] shape = format == AippSourceFormat.Yuv420Sp ? [batch, srcH * 3 / 2, srcW, 1] : [batch, srcH, srcW, parameters.SourceChannels];
        return (parameters, shape);
    }

    private static bool SameCrop(AippParameters a, AippParameters b)
        => a.CropTop == b.CropTop && a.CropLeft == b.CropLeft && a.CropHeight == b.CropHeight && a.CropWidth == b.CropWidth;

    /// <summary>The layout the model input is in: its declared format, else the framework's, checked against the channel count.</summary>
    internal static bool? ChannelsLast(Graph graph, Value input, int channels)
    {
        bool preferred = graph.InputFormats.TryGetValue(input.Name, out var f) && f is TensorFormat.NCHW or TensorFormat.NHWC
            ? f == TensorFormat.NHWC
            : graph.SourceFramework == "tensorflow";
        var shape = input.Shape!;
        bool Fits(bool last) => (last ? shape[3] : shape[1]) is var c && (c == channels || c < 0);
        if (Fits(preferred)) return preferred;
        if (Fits(!preferred)) return !preferred;
        return null;
    }

    /// <summary>Dims shared by every gear, -1 where they differ.</summary>
    private static long[] Declared(List<int[]> shapes)
        => [.. Enumerable.Range(0, 4).Select(axis => shapes.Select(s => s[axis]).Distinct().Count() == 1 ? (long)shapes[0][axis] : -1L)];
}
