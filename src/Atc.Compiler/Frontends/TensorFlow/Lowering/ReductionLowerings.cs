using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>Mean / Sum / Max / Min / Prod over constant axes, ArgMax / ArgMin and Einsum.</summary>
internal static class ReductionLowerings
{
    public static void Register(Dictionary<string, TfLowering> table)
    {
        table["Mean"] = (c, n) => Reduce(c, n, OpTypes.ReduceMean);
        table["Sum"] = (c, n) => Reduce(c, n, OpTypes.ReduceSum);
        table["Max"] = (c, n) => Reduce(c, n, OpTypes.ReduceMax);
        table["Min"] = (c, n) => Reduce(c, n, OpTypes.ReduceMin);
        table["Prod"] = (c, n) => Reduce(c, n, OpTypes.ReduceProd);
        table["ArgMax"] = (c, n) => ArgReduce(c, n, OpTypes.ArgMax);
        table["ArgMin"] = (c, n) => ArgReduce(c, n, OpTypes.ArgMin);
        table["Einsum"] = Einsum;
    }

    private static void Einsum(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 1, int.MaxValue);
        var inputs = c.Inputs(node);
        c.Emit(node, OpTypes.Einsum, inputs, inputs[0].Type, new OpAttributes().Set("equation", node.GetString("equation", "")));
    }

    private static void Reduce(TfLoweringContext c, TfNode node, string opType)
    {
        c.RequireInputs(node, 2);
        var x = c.Input(node, 0);
        var axes = c.ConstInts(node, 1, "reduction_indices");
        // TensorFlow reduces nothing over an empty axis list; the canonical empty list means every axis.
        if (axes.Length == 0)
        {
            c.Emit(node, OpTypes.Identity, [x], x.Type);
            return;
        }
        var attributes = new OpAttributes().Set("axes", axes).Set("keepdims", node.GetBool("keep_dims", false) ? 1L : 0L);
        c.Emit(node, opType, [x], x.Type, attributes);
    }

    /// <summary>The canonical ArgMax yields int64; TensorFlow's output_type may ask for int32.</summary>
    private static void ArgReduce(TfLoweringContext c, TfNode node, string opType)
    {
        c.RequireInputs(node, 2);
        var x = c.Input(node, 0);
        long axis = c.ConstInt(node, 1, "dimension");
        var attributes = new OpAttributes().Set("axis", axis).Set("keepdims", 0L);
        var outputType = node.GetType("output_type", Proto.DataType.DtInt64);
        if (!TfDataTypes.TryMap(outputType, out var type) || type is not (DataType.Int64 or DataType.Int32))
            throw new TfUnsupportedException(node.Op + " (output_type " + TfDataTypes.Name(outputType) + ")");
        if (type == DataType.Int64)
        {
            c.Emit(node, opType, [x], DataType.Int64, attributes);
            return;
        }
        var indices = c.EmitHelper(node, "int64", opType, [x], DataType.Int64, attributes);
        c.Emit(node, OpTypes.Cast, [indices], DataType.Int32, new OpAttributes().Set("to", (long)DataType.Int32));
    }
}
