using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>Graph structure: Placeholder (graph inputs), Const (constants), Identity-like ops and NoOp.</summary>
internal static class GraphLowerings
{
    public static void Register(Dictionary<string, TfLowering> table)
    {
        table["Placeholder"] = Placeholder;
        table["Const"] = Const;
        table["Identity"] = Identity;
        table["StopGradient"] = Identity;
        table["Snapshot"] = Identity;
        // In a frozen graph the default is the value: e.g. Keras' learning phase, fed only for training.
        table["PlaceholderWithDefault"] = Identity;
        table["NoOp"] = (_, _) => { };
    }

    /// <summary>A graph input: its dtype, and its declared shape (-1 unknown dims kept; unknown rank → null).</summary>
    private static void Placeholder(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 0);
        var dtype = node.RequireType("dtype");
        if (!TfDataTypes.TryMap(dtype, out var type))
            throw new TfUnsupportedException("Placeholder (dtype " + TfDataTypes.Name(dtype) + ")");
        long[]? shape = null;
        if (node.GetShape("shape") is { UnknownRank: false } declared)
        {
            shape = [.. declared.Dim.Select(d => d.Size)];
            if (shape.Any(d => d < -1))
                throw new AtcException(AtcErrors.InvalidModel("placeholder [" + node.Name + "] declares shape ["
                    + string.Join(",", shape) + "]; dimensions must be -1 (unknown) or at least 0"));
        }
        var input = new Value(node.Name, type, shape);
        c.Graph.Inputs.Add(input);
        c.Bind(node, 0, input);
    }

    private static void Const(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 0);
        var data = TfTensorDecoder.Decode(node.RequireTensor("value"), node.Name);
        c.Bind(node, 0, Value.FromConstant(node.Name, data));
    }

    /// <summary>Identity of a constant ("W/read" in frozen TF1 graphs) is the constant itself, so that consumers
    /// needing constant operands (filters, axes) see them; otherwise an Identity node keeps the name.</summary>
    private static void Identity(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 1);
        var x = c.Input(node, 0);
        if (x.IsConstant) c.Bind(node, 0, x);
        else c.Emit(node, OpTypes.Identity, [x], x.Type);
    }
}
