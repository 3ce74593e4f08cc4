using Atc.Compiler.Frontends.Caffe.Proto;

namespace Atc.Compiler.Frontends.Caffe.Layers;

/// <summary>Eltwise over two or more same-shaped bottoms: PROD, SUM (with per-bottom coeff) and MAX, as a chain of
/// binary ONNX ops (the compiler fuses a residual Add into the convolution that feeds it).</summary>
internal static class EltwiseLayers
{
    public static void Register(IDictionary<string, Action<CaffeLayer>> table) => table["Eltwise"] = Eltwise;

    private static void Eltwise(CaffeLayer layer)
    {
        layer.RequireBottoms(2, int.MaxValue);
        var p = layer.Parameter.EltwiseParam ?? new EltwiseParameter();
        for (int i = 1; i < layer.Bottoms.Count; i++)
            if (!layer.BottomShapes[i].SequenceEqual(layer.BottomShape))
                throw layer.Invalid(CaffeLayer.Shape(layer.BottomShapes[i]), "bottom " + i,
                    "Eltwise needs bottoms of one shape; bottom 0 is " + CaffeLayer.Shape(layer.BottomShape), "Make the bottoms' shapes equal.");
        var operands = layer.Bottoms.ToList();
        string op = p.Operation switch
        {
            EltwiseParameter.Types.EltwiseOp.Prod => "Mul",
            EltwiseParameter.Types.EltwiseOp.Max => "Max",
            _ => "Add",
        };
        if (op == "Add" && p.Coeff.Count > 0)
        {
            if (p.Coeff.Count != operands.Count)
                throw layer.Invalid(string.Join(",", p.Coeff), "coeff", "Eltwise SUM takes one coeff per bottom (" + operands.Count + ")", "Give one coeff per bottom, or none.");
            for (int i = 0; i < operands.Count; i++)
                if (p.Coeff[i] != 1f)
                    operands[i] = layer.Writer.Node(layer.Inner("coeff" + i), "Mul", [operands[i], layer.Writer.Floats(layer.Inner("coeff" + i + "_value"), [p.Coeff[i]])]);
        }
        layer.SetTop(0, layer.BottomShape);
        var current = operands[0];
        for (int i = 1; i < operands.Count; i++)
        {
            if (i == operands.Count - 1) layer.Writer.Node(layer.Name, op, [current, operands[i]], [layer.TopNames[0]]);
            else current = layer.Writer.Node(layer.Inner(op.ToLowerInvariant() + i), op, [current, operands[i]]);
        }
    }
}
