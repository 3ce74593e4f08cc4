using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.NeuralNet;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>Convolution, pooling, normalisation, Gemm and MatMul. ONNX is channels-first, so every op with a
/// layout gets layout="NCHW" (the canonical default, made explicit for passes that change layouts).</summary>
internal static class NeuralNetLowerings
{
    private const string Nchw = "NCHW";

    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        table[OpTypes.Conv] = n => WithLayout(n, OpTypes.Conv, 1, "kernel_shape", "strides", "dilations", "pads", "auto_pad", "group");
        table[OpTypes.ConvTranspose] = n => WithLayout(n, OpTypes.ConvTranspose, 1, "kernel_shape", "strides", "dilations",
            "pads", "auto_pad", "group", "output_padding", "output_shape");
        table[OpTypes.MaxPool] = MaxPool;
        table[OpTypes.MaxUnpool] = n => n.Emit(OpTypes.MaxUnpool, [n.RequiredInput(0, "X"), n.RequiredInput(1, "I"), n.Input(2)],
            OnnxAttributes.Copy(n, "kernel_shape", "strides", "pads"), 1);
        table[OpTypes.RoiAlign] = RoiAlign;
        table[OpTypes.Det] = n => n.Emit(OpTypes.Det, [n.RequiredInput(0, "X")], null, 1);
        table[OpTypes.AveragePool] = n => WithLayout(n, OpTypes.AveragePool, 1, "kernel_shape", "strides", "pads",
            "auto_pad", "ceil_mode", "count_include_pad", "dilations");
        table[OpTypes.GlobalAveragePool] = n => WithLayout(n, OpTypes.GlobalAveragePool, 1);
        table[OpTypes.GlobalMaxPool] = n => WithLayout(n, OpTypes.GlobalMaxPool, 1);
        table[OpTypes.BatchNormalization] = BatchNormalization;
        table[OpTypes.InstanceNormalization] = n => n.Emit(OpTypes.InstanceNormalization, n.AllInputs(), OnnxAttributes.Copy(n, "epsilon"), 1);
        table[OpTypes.LRN] = n => n.Emit(OpTypes.LRN, [n.RequiredInput(0, "X")], OnnxAttributes.Copy(n, "size", "alpha", "beta", "bias"), 1);
        // Gemm's "broadcast" (opset < 7) only allowed what numpy broadcasting of C does anyway.
        table[OpTypes.Gemm] = n => n.Emit(OpTypes.Gemm, Inputs(n), OnnxAttributes.Copy(n, "alpha", "beta", "transA", "transB"), 1);
        table[OpTypes.MatMul] = n => n.Emit(OpTypes.MatMul, [n.RequiredInput(0, "A"), n.RequiredInput(1, "B")], null, 1);
    }

    /// <summary>The node's inputs in order, keeping omitted optional ones as null (trailing omitted ones dropped).</summary>
    public static List<Value?> Inputs(NodeLowering n)
    {
        var inputs = Enumerable.Range(0, n.InputCount).Select(n.Input).ToList();
        while (inputs.Count > 0 && inputs[^1] is null) inputs.RemoveAt(inputs.Count - 1);
        return inputs;
    }

    private static void WithLayout(NodeLowering n, string opType, int outputs, params string[] attributes)
    {
        var copied = OnnxAttributes.Copy(n, attributes).Set("layout", Nchw);
        n.Emit(opType, Inputs(n), copied, outputs);
    }

    // The Indices output (opset 8) is produced only when something reads it; storage_order only changes it.
    private static void MaxPool(NodeLowering n)
    {
        bool indices = n.IsOutputUsed(1);
        if (indices)
            WithLayout(n, OpTypes.MaxPool, 2, "kernel_shape", "strides", "pads", "auto_pad", "dilations", "ceil_mode", "storage_order");
        else
            WithLayout(n, OpTypes.MaxPool, 1, "kernel_shape", "strides", "pads", "auto_pad", "dilations", "ceil_mode");
    }

    // Inference form only: the training outputs (running and saved statistics) must be unused. Opsets before 9 had
    // spatial (0 = per-activation statistics, unsupported), is_test and consumed_inputs, which change nothing here.
    private static void BatchNormalization(NodeLowering n)
    {
        if (n.Node.Int("spatial", 1) == 0)
        {
            n.Unsupported("BatchNormalization with spatial=0");
            return;
        }
        if (n.Node.Int("training_mode", 0) != 0)
        {
            BatchNormalizationTraining.Lower(n);
            return;
        }
        if (!n.RequireUnusedOutputsFrom(1, "training statistics")) return;
        var inputs = new Value?[]
        {
            n.RequiredInput(0, "X"), n.RequiredInput(1, "scale"), n.RequiredInput(2, "B"),
            n.RequiredInput(3, "mean"), n.RequiredInput(4, "var"),
        };
        n.Emit(OpTypes.BatchNormalization, inputs, OnnxAttributes.Copy(n, "epsilon").Set("layout", Nchw), 1);
    }

    // Opset 10 had no coordinate_transformation_mode and behaved as "output_half_pixel"; 16 added it with default half_pixel.
    private static void RoiAlign(NodeLowering n)
    {
        string mode = n.Node.String("mode", "avg");
        string coordinates = n.Node.String("coordinate_transformation_mode", n.Opset < 16 ? "output_half_pixel" : "half_pixel");
        if (Array.IndexOf(RoiAlignOperator.Modes, mode) < 0)
            throw new AtcException(AtcErrors.AttributeValueUnsupported(n.Node.Name, n.OpType, "mode", mode, RoiAlignOperator.Modes));
        if (Array.IndexOf(RoiAlignOperator.CoordinateModes, coordinates) < 0)
            throw new AtcException(AtcErrors.AttributeValueUnsupported(n.Node.Name, n.OpType, "coordinate_transformation_mode", coordinates, RoiAlignOperator.CoordinateModes));
        var attributes = OnnxAttributes.Copy(n, "output_height", "output_width", "sampling_ratio", "spatial_scale")
            .Set("mode", mode).Set("coordinate_transformation_mode", coordinates);
        n.Emit(OpTypes.RoiAlign, [n.RequiredInput(0, "X"), n.RequiredInput(1, "rois"), n.RequiredInput(2, "batch_indices")], attributes, 1);
    }
}
