using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>Shape and data-movement ops. Several moved attributes to inputs over the opsets (Reshape's shape at 5,
/// Slice's starts/ends/axes at 10, Pad's pads and value at 11, Squeeze/Unsqueeze/Split at 13): old forms become
/// constant inputs where the canonical op has inputs, and inputs become attributes where it has attributes.</summary>
internal static class TensorLowerings
{
    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        table[OpTypes.Reshape] = Reshape;
        table[OpTypes.Flatten] = n => n.Emit(OpTypes.Flatten, [n.RequiredInput(0, "input")], OnnxAttributes.Copy(n, "axis"), 1);
        table[OpTypes.Squeeze] = n => AxesToAttribute(n, required: false);
        table[OpTypes.Unsqueeze] = n => AxesToAttribute(n, required: true);
        table[OpTypes.Transpose] = n => n.Emit(OpTypes.Transpose, [n.RequiredInput(0, "data")], OnnxAttributes.Copy(n, "perm"), 1);
        table[OpTypes.Concat] = Concat;
        table[OpTypes.Split] = Split;
        table[OpTypes.Slice] = Slice;
        table[OpTypes.Pad] = Pad;
        table[OpTypes.Gather] = n => n.Emit(OpTypes.Gather, [n.RequiredInput(0, "data"), n.RequiredInput(1, "indices")], OnnxAttributes.Copy(n, "axis"), 1);
        table[OpTypes.Expand] = n => n.Emit(OpTypes.Expand, [n.RequiredInput(0, "input"), n.RequiredInput(1, "shape")], null, 1);
        table[OpTypes.Tile] = Tile;
        table[OpTypes.DepthToSpace] = n => n.Emit(OpTypes.DepthToSpace, [n.RequiredInput(0, "input")],
            OnnxAttributes.Copy(n, "blocksize", "mode").Set("layout", "NCHW"), 1);
        table[OpTypes.SpaceToDepth] = n => n.Emit(OpTypes.SpaceToDepth, [n.RequiredInput(0, "input")],
            OnnxAttributes.Copy(n, "blocksize").Set("layout", "NCHW"), 1);
        table[OpTypes.Shape] = n => n.Emit(OpTypes.Shape, [n.RequiredInput(0, "data")], OnnxAttributes.Copy(n, "start", "end"), 1, DataType.Int64);
        table[OpTypes.Size] = n => n.Emit(OpTypes.Size, [n.RequiredInput(0, "data")], null, 1, DataType.Int64);
        table[OpTypes.Range] = n => n.Emit(OpTypes.Range, [n.RequiredInput(0, "start"), n.RequiredInput(1, "limit"), n.RequiredInput(2, "delta")], null, 1);
    }

    private static Value Int64Constant(NodeLowering n, string suffix, long[] values)
        => n.Constant(suffix, TensorData.Int64([values.Length], values));

    private static void Reshape(NodeLowering n)
    {
        var data = n.RequiredInput(0, "data");
        if (n.Opset < 5)
        {
            var shape = n.Node.Ints("shape") ?? throw Invalid(n, "has no 'shape' attribute");
            n.Emit(OpTypes.Reshape, [data, Int64Constant(n, "shape", shape)], null, 1);
            return;
        }
        n.Emit(OpTypes.Reshape, [data, n.RequiredInput(1, "shape")], OnnxAttributes.Copy(n, "allowzero"), 1);
    }

    // Squeeze and Unsqueeze take "axes" as an attribute before opset 13 and as a constant input from 13.
    private static void AxesToAttribute(NodeLowering n, bool required)
    {
        var data = n.RequiredInput(0, "data");
        long[]? axes;
        if (n.Opset < 13)
            axes = n.Node.Ints("axes");
        else
        {
            var input = n.ConstantInput(1, "axes", out bool ok);
            if (!ok) return;
            axes = input?.ToInt64Array();
        }
        if (required && (axes is null || axes.Length == 0)) throw Invalid(n, "has no axes");
        var attributes = new OpAttributes();
        if (axes is { Length: > 0 }) attributes.Set("axes", axes);
        n.Emit(n.OpType, [data], attributes, 1);
    }

    // Concat's axis defaulted to 1 before opset 4 and is required since.
    private static void Concat(NodeLowering n)
    {
        var attributes = new OpAttributes().Set("axis", n.Node.Int("axis", 1));
        n.Emit(OpTypes.Concat, n.AllInputs(), attributes, 1);
    }

    // Split sizes: an attribute before opset 13 (or an optional second input in opset 1), an input from 13.
    private static void Split(NodeLowering n)
    {
        var data = n.RequiredInput(0, "input");
        var attributes = OnnxAttributes.Copy(n, "axis");
        long[]? sizes = n.Node.Ints("split");
        if (n.Input(1) is not null)
        {
            var input = n.ConstantInput(1, "split", out bool ok);
            if (!ok) return;
            sizes = input!.ToInt64Array();
        }
        if (sizes is { Length: > 0 })
        {
            if (sizes.Length != n.Node.Outputs.Count)
                throw Invalid(n, $"splits into {sizes.Length} parts but has {n.Node.Outputs.Count} outputs");
            attributes.Set("split", sizes);
        }
        n.Emit(OpTypes.Split, [data], attributes, n.Node.Outputs.Count);
    }

    // Before opset 10 starts, ends and axes are attributes; the canonical op takes them as int64 inputs.
    private static void Slice(NodeLowering n)
    {
        var data = n.RequiredInput(0, "data");
        if (n.Opset >= 10)
        {
            n.Emit(OpTypes.Slice, NeuralNetLowerings.Inputs(n), null, 1);
            return;
        }
        var starts = n.Node.Ints("starts") ?? throw Invalid(n, "has no 'starts' attribute");
        var ends = n.Node.Ints("ends") ?? throw Invalid(n, "has no 'ends' attribute");
        var inputs = new List<Value?> { data, Int64Constant(n, "starts", starts), Int64Constant(n, "ends", ends) };
        if (n.Node.Ints("axes") is { Length: > 0 } axes) inputs.Add(Int64Constant(n, "axes", axes));
        n.Emit(OpTypes.Slice, inputs, null, 1);
    }

    // Before opset 11 pads (opset 1: "paddings") and value are attributes; from 11 they are inputs.
    private static void Pad(NodeLowering n)
    {
        var data = n.RequiredInput(0, "data");
        string mode = n.Node.String("mode", "constant");
        if (mode is not ("constant" or "reflect" or "edge"))
        {
            n.Unsupported($"Pad with mode '{mode}'");
            return;
        }
        var attributes = new OpAttributes().Set("mode", mode);
        if (n.Opset >= 11)
        {
            if (n.Input(3) is not null)
            {
                n.Unsupported("Pad with axes");
                return;
            }
            n.Emit(OpTypes.Pad, NeuralNetLowerings.Inputs(n), attributes, 1);
            return;
        }
        var pads = n.Node.Ints("pads") ?? n.Node.Ints("paddings") ?? throw Invalid(n, "has no 'pads' attribute");
        var value = n.Constant("value", OnnxTensorReader.Scalar(data.Type, n.Node.Float("value", 0f)));
        n.Emit(OpTypes.Pad, [data, Int64Constant(n, "pads", pads), value], attributes, 1);
    }

    // Tile took (input, tiles, axis) before opset 6 and (input, repeats) since.
    private static void Tile(NodeLowering n)
    {
        if (n.Opset < 6)
        {
            n.Unsupported("Tile (opset < 6)");
            return;
        }
        n.Emit(OpTypes.Tile, [n.RequiredInput(0, "input"), n.RequiredInput(1, "repeats")], null, 1);
    }

    private static AtcException Invalid(NodeLowering n, string what) => new(AtcErrors.InvalidModel($"node {n.Node} {what}"));
}
