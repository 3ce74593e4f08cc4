using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>Element-wise unary and binary ops, activations, comparisons, AddN, Select and Cast.</summary>
internal static class ElementwiseLowerings
{
    private static readonly (string Tf, string Canonical)[] Unary =
    [
        ("Relu", OpTypes.Relu), ("Sigmoid", OpTypes.Sigmoid), ("Tanh", OpTypes.Tanh), ("Exp", OpTypes.Exp),
        ("Log", OpTypes.Log), ("Sqrt", OpTypes.Sqrt), ("Neg", OpTypes.Neg), ("Abs", OpTypes.Abs),
        ("Floor", OpTypes.Floor), ("Ceil", OpTypes.Ceil), ("Round", OpTypes.Round), ("Softplus", OpTypes.Softplus),
        ("Softsign", OpTypes.Softsign), ("Sign", OpTypes.Sign), ("Sin", OpTypes.Sin), ("Cos", OpTypes.Cos),
        ("Erf", OpTypes.Erf), ("Reciprocal", OpTypes.Reciprocal), ("Inv", OpTypes.Reciprocal),
        ("Elu", OpTypes.Elu), ("Selu", OpTypes.Selu), ("Tan", OpTypes.Tan), ("Asin", OpTypes.Asin),
        ("Acos", OpTypes.Acos), ("Atan", OpTypes.Atan), ("Sinh", OpTypes.Sinh), ("Cosh", OpTypes.Cosh),
        ("Asinh", OpTypes.Asinh), ("Acosh", OpTypes.Acosh), ("Atanh", OpTypes.Atanh),
    ];

    private static readonly (string Tf, string Canonical)[] Binary =
    [
        ("Add", OpTypes.Add), ("AddV2", OpTypes.Add), ("Sub", OpTypes.Sub), ("Mul", OpTypes.Mul),
        ("RealDiv", OpTypes.Div), ("Div", OpTypes.Div), ("Maximum", OpTypes.Max), ("Minimum", OpTypes.Min),
        ("Pow", OpTypes.Pow),
    ];

    private static readonly (string Tf, string Canonical)[] Predicates =
    [
        ("Equal", OpTypes.Equal), ("Less", OpTypes.Less), ("Greater", OpTypes.Greater),
        ("LessEqual", OpTypes.LessOrEqual), ("GreaterEqual", OpTypes.GreaterOrEqual),
        ("LogicalAnd", OpTypes.And), ("LogicalOr", OpTypes.Or),
    ];

    public static void Register(Dictionary<string, TfLowering> table)
    {
        foreach (var (tf, op) in Unary) table[tf] = (c, n) => Same(c, n, op, 1);
        foreach (var (tf, op) in Binary) table[tf] = (c, n) => Same(c, n, op, 2);
        foreach (var (tf, op) in Predicates) table[tf] = (c, n) => Predicate(c, n, op);
        table["LogicalNot"] = (c, n) => { c.RequireInputs(n, 1); c.Emit(n, OpTypes.Not, [c.Input(n, 0)], DataType.Bool); };
        table["NotEqual"] = NotEqual;
        table["Relu6"] = Relu6;
        table["LeakyRelu"] = LeakyRelu;
        table["SquaredDifference"] = SquaredDifference;
        table["Square"] = Square;
        table["Rsqrt"] = Rsqrt;
        table["FloorDiv"] = FloorDiv;
        table["FloorMod"] = (c, n) => Modulo(c, n, floor: true);
        table["TruncateMod"] = (c, n) => Modulo(c, n, floor: false);
        table["Mod"] = (c, n) => Modulo(c, n, floor: false);
        table["ClipByValue"] = ClipByValue;
        table["AddN"] = AddN;
        table["Select"] = Select;
        table["SelectV2"] = Select;
        table["Cast"] = Cast;
        table["IsNan"] = (c, n) => { c.RequireInputs(n, 1); c.Emit(n, OpTypes.IsNaN, [c.Input(n, 0)], DataType.Bool); };
        table["IsInf"] = (c, n) => { c.RequireInputs(n, 1); c.Emit(n, OpTypes.IsInf, [c.Input(n, 0)], DataType.Bool); };
        table["LeftShift"] = (c, n) => BitShift(c, n, "LEFT");
        table["RightShift"] = (c, n) => BitShift(c, n, "RIGHT");
    }

    /// <summary>An op whose output has the element type of its first input.</summary>
    private static void Same(TfLoweringContext c, TfNode node, string opType, int arity)
    {
        c.RequireInputs(node, arity);
        var inputs = c.Inputs(node);
        c.Emit(node, opType, inputs, inputs[0].Type);
    }

    /// <summary>LeftShift / RightShift: the canonical BitShift covers the unsigned 8-bit case.</summary>
    private static void BitShift(TfLoweringContext c, TfNode node, string direction)
    {
        c.RequireInputs(node, 2);
        var inputs = c.Inputs(node);
        c.Emit(node, OpTypes.BitShift, inputs, inputs[0].Type, new OpAttributes().Set("direction", direction));
    }

    private static void Predicate(TfLoweringContext c, TfNode node, string opType)
    {
        c.RequireInputs(node, 2);
        c.Emit(node, opType, c.Inputs(node), DataType.Bool);
    }

    private static void NotEqual(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var equal = c.EmitHelper(node, "equal", OpTypes.Equal, c.Inputs(node), DataType.Bool);
        c.Emit(node, OpTypes.Not, [equal], DataType.Bool);
    }

    private static void Relu6(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 1);
        var x = c.Input(node, 0);
        c.Emit(node, OpTypes.Clip, [x], x.Type, new OpAttributes().Set("min", 0f).Set("max", 6f));
    }

    /// <summary>TensorFlow's LeakyRelu alpha defaults to 0.2 (the canonical op's default is 0.01), so it is always set.</summary>
    private static void LeakyRelu(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 1);
        var x = c.Input(node, 0);
        c.Emit(node, OpTypes.LeakyRelu, [x], x.Type, new OpAttributes().Set("alpha", node.GetFloat("alpha", 0.2f)));
    }

    /// <summary>(x - y)²</summary>
    private static void SquaredDifference(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var inputs = c.Inputs(node);
        var difference = c.EmitHelper(node, "difference", OpTypes.Sub, inputs, inputs[0].Type);
        c.Emit(node, OpTypes.Mul, [difference, difference], difference.Type);
    }

    private static void Square(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 1);
        var x = c.Input(node, 0);
        c.Emit(node, OpTypes.Mul, [x, x], x.Type);
    }

    /// <summary>1 / √x</summary>
    private static void Rsqrt(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 1);
        var x = c.Input(node, 0);
        var root = c.EmitHelper(node, "sqrt", OpTypes.Sqrt, [x], x.Type);
        c.Emit(node, OpTypes.Reciprocal, [root], x.Type);
    }

    /// <summary>FloorDiv rounds the quotient toward -∞. Floats: ⌊x / y⌋. Signed integers: (x - FloorMod(x, y)) / y,
    /// an exact division, so the runtime's truncating Div gives the floored quotient.</summary>
    private static void FloorDiv(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 2);
        var inputs = c.Inputs(node);
        var type = inputs[0].Type;
        if (type is DataType.Float32 or DataType.Float64)
        {
            var quotient = c.EmitHelper(node, "quotient", OpTypes.Div, inputs, type);
            c.Emit(node, OpTypes.Floor, [quotient], type);
            return;
        }
        if (type == DataType.UInt8)
        {
            c.Emit(node, OpTypes.Div, inputs, type);
            return;
        }
        var remainder = c.EmitHelper(node, "remainder", OpTypes.Mod, inputs, type, new OpAttributes().Set("fmod", 0L));
        var multiple = c.EmitHelper(node, "multiple", OpTypes.Sub, [inputs[0], remainder], type);
        c.Emit(node, OpTypes.Div, [multiple, inputs[1]], type);
    }

    /// <summary>FloorMod: the remainder takes the divisor's sign (fmod 0); TruncateMod / Mod: the dividend's (fmod 1).</summary>
    private static void Modulo(TfLoweringContext c, TfNode node, bool floor)
    {
        c.RequireInputs(node, 2);
        var inputs = c.Inputs(node);
        c.Emit(node, OpTypes.Mod, inputs, inputs[0].Type, new OpAttributes().Set("fmod", floor ? 0L : 1L));
    }

    /// <summary>ClipByValue(t, min, max) with broadcasting bounds: Max(Min(t, max), min).</summary>
    private static void ClipByValue(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 3);
        var inputs = c.Inputs(node);
        var upper = c.EmitHelper(node, "upper", OpTypes.Min, [inputs[0], inputs[2]], inputs[0].Type);
        c.Emit(node, OpTypes.Max, [upper, inputs[1]], inputs[0].Type);
    }

    private static void AddN(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 1, int.MaxValue);
        var inputs = c.Inputs(node);
        c.Emit(node, inputs.Count == 1 ? OpTypes.Identity : OpTypes.Sum, inputs, inputs[0].Type);
    }

    /// <summary>Select / SelectV2 (condition, x, y) as a broadcasting Where.</summary>
    private static void Select(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 3);
        var inputs = c.Inputs(node);
        c.Emit(node, OpTypes.Where, inputs, inputs[1].Type);
    }

    private static void Cast(TfLoweringContext c, TfNode node)
    {
        c.RequireInputs(node, 1);
        var target = node.RequireType("DstT");
        if (!TfDataTypes.TryMap(target, out var to))
            throw new TfUnsupportedException(node.Op + " (to " + TfDataTypes.Name(target) + ")");
        c.Emit(node, OpTypes.Cast, [c.Input(node, 0)], to, new OpAttributes().Set("to", (long)to));
    }
}
