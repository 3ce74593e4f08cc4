using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.SingleOp;

/// <summary>
/// The Ascend IR op types --singleop compiles, each lowered onto one of this compiler's operators with its attributes
/// translated (ATC's names and conventions: Conv2D's 4-element strides in data_format order and pads
/// [top, bottom, left, right], MatMul's transpose_x1/x2, SoftmaxV2's axes, LeakyRelu's negative_slope, Cast's
/// dst_type as ATC's DataType enum). Attributes an op does not have are errors, not silently dropped.
/// </summary>
internal static class SingleOpTable
{
    /// <summary>One Ascend IR op: its input count range and how it lowers (null after a reported problem).</summary>
    internal sealed record Entry(int MinInputs, int MaxInputs, Func<SingleOpDescription, SingleOpAttributeReader, (string OpType, OpAttributes Attributes)?> Lower);

    private static readonly Dictionary<string, Entry> Entries = Build();

    public static IEnumerable<string> Names => Entries.Keys.Order(StringComparer.Ordinal);

    public static Entry? Find(string opType) => Entries.GetValueOrDefault(opType);

    private static Dictionary<string, Entry> Build()
    {
        var table = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var (ascend, canonical) in new[] { ("Add", OpTypes.Add), ("AddV2", OpTypes.Add), ("Sub", OpTypes.Sub), ("Mul", OpTypes.Mul),
                     ("RealDiv", OpTypes.Div), ("Div", OpTypes.Div), ("Maximum", OpTypes.Max), ("Minimum", OpTypes.Min), ("Pow", OpTypes.Pow) })
            table[ascend] = new Entry(2, 2, (_, _) => (canonical, new OpAttributes()));
        foreach (var (ascend, canonical) in new[] { ("Relu", OpTypes.Relu), ("Sigmoid", OpTypes.Sigmoid), ("Tanh", OpTypes.Tanh), ("Exp", OpTypes.Exp),
                     ("Log", OpTypes.Log), ("Sqrt", OpTypes.Sqrt), ("Abs", OpTypes.Abs), ("Neg", OpTypes.Neg), ("Reciprocal", OpTypes.Reciprocal),
                     ("Floor", OpTypes.Floor), ("Ceil", OpTypes.Ceil), ("Erf", OpTypes.Erf) })
            table[ascend] = new Entry(1, 1, (_, _) => (canonical, new OpAttributes()));
        table["LeakyRelu"] = new Entry(1, 1, (_, a) => (OpTypes.LeakyRelu, new OpAttributes().Set("alpha", a.Float("negative_slope", 0f))));
        table["SoftmaxV2"] = new Entry(1, 1, Softmax);
        table["MatMul"] = new Entry(2, 3, MatMul);
        table["MatMulV2"] = new Entry(2, 3, MatMul);
        table["BatchMatMul"] = new Entry(2, 2, BatchMatMul);
        table["Conv2D"] = new Entry(2, 3, Conv2D);
        table["Cast"] = new Entry(1, 1, Cast);
        return table;
    }

    private static (string, OpAttributes)? Softmax(SingleOpDescription op, SingleOpAttributeReader a)
    {
        var axes = a.Ints("axes", [-1]);
        if (axes.Length != 1)
        {
            a.Reject("axes", "SoftmaxV2 normalises over one axis here; axes " + Shape.Format(axes) + " names " + axes.Length);
            return null;
        }
        return (OpTypes.Softmax, new OpAttributes().Set("axis", axes[0]));
    }

    /// <summary>2-D MatMul with optional bias [N] → Gemm (transposes as transA/transB).</summary>
    private static (string, OpAttributes)? MatMul(SingleOpDescription op, SingleOpAttributeReader a)
    {
        bool transA = a.Bool("transpose_x1", false), transB = a.Bool("transpose_x2", false);
        if (a.Int("offset_x", 0) != 0) a.Reject("offset_x", "offset_x is for int8 inputs, which MatMul does not take here");
        if (op.Inputs.Take(2).Any(t => t.Shape.Length != 2))
        {
            a.Problems.Add((op.Path + ".input_desc", "MatMul takes 2-D x1 and x2 (use BatchMatMul for batches), got "
                + string.Join(" and ", op.Inputs.Take(2).Select(t => Shape.Format(t.Shape)))));
            return null;
        }
        return (OpTypes.Gemm, new OpAttributes().Set("transA", transA ? 1L : 0L).Set("transB", transB ? 1L : 0L));
    }

    private static (string, OpAttributes)? BatchMatMul(SingleOpDescription op, SingleOpAttributeReader a)
    {
        foreach (var name in new[] { "adj_x1", "adj_x2" })
            if (a.Bool(name, false)) a.Reject(name, name + " true (a transposed operand) is not supported for BatchMatMul here");
        return a.Problems.Count > 0 ? null : (OpTypes.MatMul, new OpAttributes());
    }

    /// <summary>Conv2D: x and filter [O, C/groups, kh, kw] (filter format NCHW), optional bias [O].</summary>
    private static (string, OpAttributes)? Conv2D(SingleOpDescription op, SingleOpAttributeReader a)
    {
        string dataFormat = a.String("data_format", "NCHW");
        var strides = a.Ints("strides", []);
        var pads = a.Ints("pads", []);
        var dilations = a.Ints("dilations", [1, 1, 1, 1]);
        long groups = a.Int("groups", 1);
        string padding = a.String("padding", "");
        if (a.Int("offset_x", 0) != 0) a.Reject("offset_x", "offset_x is for int8 inputs, which Conv2D does not take here");
        if (dataFormat is not ("NCHW" or "NHWC")) a.Reject("data_format", "data_format [" + dataFormat + "] is not NCHW or NHWC");
        int h = dataFormat == "NHWC" ? 1 : 2, w = h + 1, c = dataFormat == "NHWC" ? 3 : 1;
        if (strides.Length != 4 || strides[0] != 1 || strides[c] != 1 || strides[h] < 1 || strides[w] < 1)
            a.Reject("strides", "strides " + Shape.Format(strides) + " must have 4 values in data_format order, 1 for N and C and positive for H and W");
        if (pads.Length != 4 || pads.Any(p => p < 0))
            a.Reject("pads", "pads " + Shape.Format(pads) + " must be 4 non-negative values [top, bottom, left, right]");
        if (dilations.Length != 4 || dilations[0] != 1 || dilations[c] != 1 || dilations[h] < 1 || dilations[w] < 1)
            a.Reject("dilations", "dilations " + Shape.Format(dilations) + " must have 4 values in data_format order, 1 for N and C");
        if (groups < 1) a.Reject("groups", "groups " + groups + " must be at least 1");
        if (padding is not ("" or "SAME" or "VALID")) a.Reject("padding", "padding [" + padding + "] is not SAME or VALID");
        if (op.Inputs.Count > 1 && op.Inputs[1].Format != "NCHW")
            a.Problems.Add((op.Inputs[1].Path + ".format", "the filter's format is " + op.Inputs[1].Format + "; this compiler takes Conv2D filters as NCHW ([out, in/groups, kh, kw])"));
        if (a.Problems.Count > 0) return null;
        var attributes = new OpAttributes()
            .Set("layout", dataFormat)
            .Set("strides", new long[] { strides[h], strides[w] })
            .Set("dilations", new long[] { dilations[h], dilations[w] })
            .Set("group", groups);
        if (padding == "SAME") attributes.Set("auto_pad", "SAME_UPPER");
        else attributes.Set("pads", new long[] { pads[0], pads[2], pads[1], pads[3] });
        return (OpTypes.Conv, attributes);
    }

    private static (string, OpAttributes)? Cast(SingleOpDescription op, SingleOpAttributeReader a)
    {
        long code = a.Int("dst_type", -1);
        var target = SingleOpTypes.Types.Values.Where(t => t.Code == code).Select(t => t.Type).FirstOrDefault();
        if (target == DataType.Undefined)
        {
            a.Reject("dst_type", "dst_type " + code + " is not one of ATC's type codes here ("
                + string.Join(", ", SingleOpTypes.Types.Where(t => t.Key != "float32").Select(t => t.Value.Code + " " + t.Key)) + ")");
            return null;
        }
        return (OpTypes.Cast, new OpAttributes().Set("to", (long)target));
    }
}
