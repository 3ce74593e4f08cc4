using Atc.Compiler.Frontends.Caffe.Proto;

namespace Atc.Compiler.Frontends.Caffe.Layers;

/// <summary>Element-wise layers with one bottom: ReLU (negative_slope), PReLU, Sigmoid, TanH, ELU, Power, Dropout
/// (identity at inference), and Softmax over one axis.</summary>
internal static class ActivationLayers
{
    public static void Register(IDictionary<string, Action<CaffeLayer>> table)
    {
        table["ReLU"] = Relu;
        table["PReLU"] = Prelu;
        table["Sigmoid"] = layer => Unary(layer, "Sigmoid");
        table["TanH"] = layer => Unary(layer, "Tanh");
        table["ELU"] = layer => Unary(layer, "Elu", ("alpha", (layer.Parameter.EluParam ?? new ELUParameter()).Alpha));
        table["Power"] = Power;
        table["Dropout"] = layer => Unary(layer, "Identity");
        table["Softmax"] = Softmax;
    }

    private static void Unary(CaffeLayer layer, string opType, params (string, object)[] attributes)
    {
        layer.RequireBottoms(1);
        layer.SetTop(0, layer.BottomShape);
        layer.Writer.Node(layer.Name, opType, [layer.Bottom], [layer.TopNames[0]], attributes);
    }

    private static void Relu(CaffeLayer layer)
    {
        float slope = layer.Parameter.ReluParam?.NegativeSlope ?? 0f;
        if (slope == 0f) Unary(layer, "Relu");
        else Unary(layer, "LeakyRelu", ("alpha", slope));
    }

    private static void Prelu(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        bool shared = layer.Parameter.PreluParam?.ChannelShared ?? false;
        if (layer.Rank < 2 && !shared)
            throw layer.Invalid(CaffeLayer.Shape(layer.BottomShape), "bottom", "a per-channel PReLU needs a channel axis", "Use channel_shared: true, or give the bottom a channel axis.");
        long channels = shared ? 1 : layer.BottomShape[1];
        var slope = layer.Blob(0, "slope", channels);
        // The slope broadcasts over axis 1: [C, 1, ..., 1] for the axes after the channels.
        long[] dims = shared ? [1] : [channels, .. Enumerable.Repeat(1L, layer.Rank - 2)];
        layer.SetTop(0, layer.BottomShape);
        layer.Writer.Node(layer.Name, "PRelu", [layer.Bottom, layer.Writer.Floats(layer.Inner("slope"), slope, dims)], [layer.TopNames[0]]);
    }

    /// <summary>y = (shift + scale * x) ^ power, each step written only when it changes the value.</summary>
    private static void Power(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        var p = layer.Parameter.PowerParam ?? new PowerParameter();
        layer.SetTop(0, layer.BottomShape);
        var steps = new List<(string Op, float Constant, string Suffix)>();
        if (p.Scale != 1f) steps.Add(("Mul", p.Scale, "scale"));
        if (p.Shift != 0f) steps.Add(("Add", p.Shift, "shift"));
        if (p.Power != 1f) steps.Add(("Pow", p.Power, "power"));
        if (steps.Count == 0) { layer.Writer.Node(layer.Name, "Identity", [layer.Bottom], [layer.TopNames[0]]); return; }
        var current = layer.Bottom;
        for (int i = 0; i < steps.Count; i++)
        {
            var (op, constant, suffix) = steps[i];
            var operand = layer.Writer.Floats(layer.Inner(suffix), [constant]);
            if (i == steps.Count - 1) layer.Writer.Node(layer.Name, op, [current, operand], [layer.TopNames[0]]);
            else current = layer.Writer.Node(layer.Inner(op.ToLowerInvariant()), op, [current, operand]);
        }
    }

    private static void Softmax(CaffeLayer layer)
    {
        layer.RequireBottoms(1);
        int axis = layer.Axis((layer.Parameter.SoftmaxParam ?? new SoftmaxParameter()).Axis, "axis");
        layer.SetTop(0, layer.BottomShape);
        layer.Writer.Node(layer.Name, "Softmax", [layer.Bottom], [layer.TopNames[0]], ("axis", (long)axis));
    }
}
