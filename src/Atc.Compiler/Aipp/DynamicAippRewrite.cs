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
/// Compiles a dynamic aipp_op block (aipp_mode: dynamic): the model input becomes a uint8 image of
/// max_src_image_size bytes per batch item, and a float32 parameter input "&lt;name&gt;_aipp_params" is appended to the
/// model's inputs; one <see cref="OpTypes.AippDynamic"/> node turns both into the float32 tensor the input carried.
/// The run supplies the parameters (<see cref="AippDynamicParameters"/>, through InferenceModel.CreateAippInput).
/// Batch gears share them; image-size gears would change the output size per gear and are reported as not supported.
/// </summary>
internal static class DynamicAippRewrite
{
    public const string ParametersSuffix = "_aipp_params";

    public static void Rewrite(Graph graph, AippOp op, string file, GearKind kind, List<Dictionary<string, int[]>> shapes, List<AtcDiagnostic> diagnostics)
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
        if (kind is GearKind.ImageSize or GearKind.Dims)
        {
            diagnostics.Add(AippDiagnostics.NotSupported(file, op.Line, op.Column,
                "dynamic AIPP with --dynamic_image_size or --dynamic_dims is not supported (the parameters fix one output size); use --dynamic_batch_size or a static shape"));
            return;
        }
        if (op.MaxSrcImageSize <= 0)
        {
            var at = op.PositionOf("max_src_image_size");
            diagnostics.Add(AippDiagnostics.InputInvalid(file, at[0], at[1], "max_src_image_size is 0: no image fits",
                "Set max_src_image_size to the bytes of the largest image, e.g. 150528 for a 224 x 224 RGB888 image."));
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
        int channels = 3;
        bool? channelsLast = AippGraphRewrite.ChannelsLast(graph, input, 3);
        if (channelsLast is null)
        {
            channels = 1;
            channelsLast = AippGraphRewrite.ChannelsLast(graph, input, 1);
        }
        if (channelsLast is null)
        {
            diagnostics.Add(AippDiagnostics.InputInvalid(file, rankAt[0], rankAt[1],
                "model input [" + input + "] has neither 3 (RGB/YUV) nor 1 (grey) channels at C (NCHW or NHWC)",
                "Point related_input_rank at an image input with 1 or 3 channels."));
            return;
        }
        var modelShape = shapes[0][input.Name];
        int h = channelsLast.Value ? modelShape[1] : modelShape[2];
        int w = channelsLast.Value ? modelShape[2] : modelShape[3];
        if (h > AippDynamicEncoding.MaxSide || w > AippDynamicEncoding.MaxSide)
        {
            diagnostics.Add(AippDiagnostics.NotSupported(file, op.Line, op.Column,
                "the model image (w x h) " + w + " x " + h + " is larger than AIPP's " + AippDynamicEncoding.MaxSide + " pixels per side"));
            return;
        }

        var image = new Value(input.Name, DataType.UInt8, [shapes.Select(s => s[input.Name][0]).Distinct().Count() == 1 ? modelShape[0] : -1, op.MaxSrcImageSize]);
        var parameters = new Value(input.Name + ParametersSuffix, DataType.Float32, [AippDynamicEncoding.Length]);
        input.Name += "/aipp";
        var node = new Node("aipp/" + image.Name, OpTypes.AippDynamic, [image, parameters], sourceOpType: "aipp_op");
        node.Attributes.Set("max_src_image_size", new AttributeValue((long)op.MaxSrcImageSize));
        node.Attributes.Set("output_hw", new AttributeValue(new long[] { h, w }));
        node.Attributes.Set("channels", new AttributeValue((long)channels));
        node.Attributes.Set("layout", new AttributeValue(channelsLast.Value ? "NHWC" : "NCHW"));
        node.Attributes.Set("input_name", new AttributeValue(image.Name));
        node.AttachOutput(input);
        graph.Nodes.Insert(0, node);
        graph.Inputs[op.RelatedInputRank] = image;
        graph.Inputs.Add(parameters);
        graph.InputFormats.Remove(input.Name);
        graph.InputFormats[image.Name] = TensorFormat.ND;
        graph.InputFormats[parameters.Name] = TensorFormat.ND;
        foreach (var gear in shapes)
        {
            gear[image.Name] = [gear[image.Name][0], op.MaxSrcImageSize];
            gear[parameters.Name] = [AippDynamicEncoding.Length];
        }
    }
}
