using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>Element-wise ONNX ops: binary arithmetic and comparisons (with the legacy broadcast of opsets &lt; 7),
/// unary maths and activations, Clip, Cast, the variadic ops, PRelu and Where.</summary>
internal static class ElementwiseLowerings
{
    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        foreach (var op in new[] { OpTypes.Add, OpTypes.Sub, OpTypes.Mul, OpTypes.Div, OpTypes.Pow })
            table[op] = n => Binary(n, null);
        table[OpTypes.Mod] = n => Binary(n, null, "fmod");
        foreach (var op in new[] { OpTypes.Equal, OpTypes.Less, OpTypes.Greater, OpTypes.LessOrEqual, OpTypes.GreaterOrEqual,
                     OpTypes.And, OpTypes.Or, OpTypes.Xor })
            table[op] = n => Binary(n, DataType.Bool);

        foreach (var op in new[] { OpTypes.Relu, OpTypes.Sigmoid, OpTypes.Tanh, OpTypes.Exp, OpTypes.Log, OpTypes.Sqrt,
                     OpTypes.Neg, OpTypes.Abs, OpTypes.Reciprocal, OpTypes.Floor, OpTypes.Ceil, OpTypes.Round, OpTypes.Erf,
                     OpTypes.Softplus, OpTypes.Softsign, OpTypes.Sign, OpTypes.Sin, OpTypes.Cos, OpTypes.Identity,
                     OpTypes.HardSwish, OpTypes.Not, OpTypes.Tan, OpTypes.Asin, OpTypes.Acos, OpTypes.Atan, OpTypes.Sinh,
                     OpTypes.Cosh, OpTypes.Asinh, OpTypes.Acosh, OpTypes.Atanh })
            table[op] = n => Unary(n);
        table[OpTypes.LeakyRelu] = n => Unary(n, "alpha");
        table[OpTypes.Elu] = n => Unary(n, "alpha");
        table[OpTypes.Celu] = n => Unary(n, "alpha");
        table[OpTypes.ThresholdedRelu] = n => Unary(n, "alpha");
        table[OpTypes.Selu] = n => Unary(n, "alpha", "gamma");
        table[OpTypes.HardSigmoid] = n => Unary(n, "alpha", "beta");
        table[OpTypes.Shrink] = n => Unary(n, "bias", "lambd");
        table[OpTypes.IsNaN] = n => n.Emit(OpTypes.IsNaN, [n.RequiredInput(0, "X")], null, 1, DataType.Bool);
        table[OpTypes.IsInf] = n => n.Emit(OpTypes.IsInf, [n.RequiredInput(0, "X")],
            OnnxAttributes.Copy(n, "detect_negative", "detect_positive"), 1, DataType.Bool);
        table[OpTypes.BitShift] = n => Binary(n, null, "direction");

        foreach (var op in new[] { OpTypes.Max, OpTypes.Min, OpTypes.Sum, OpTypes.Mean })
            table[op] = n => n.Emit(n.OpType, n.AllInputs());
        table[OpTypes.Clip] = Clip;
        table[OpTypes.Cast] = Cast;
        table["CastLike"] = CastLike;
        table[OpTypes.PRelu] = PRelu;
        table[OpTypes.Where] = n => n.Emit(OpTypes.Where, [n.RequiredInput(0, "condition"), n.RequiredInput(1, "X"),
            n.RequiredInput(2, "Y")], type: n.Input(1)!.Type);
        table["Dropout"] = Dropout;
    }

    private static void Binary(NodeLowering n, DataType? type, params string[] attributes)
    {
        var a = n.RequiredInput(0, "A");
        var b = LegacyBroadcast.AlignSecondOperand(n, a, n.RequiredInput(1, "B"));
        if (b is null) return;
        n.Emit(n.OpType, [a, b], OnnxAttributes.Copy(n, attributes), 1, type ?? a.Type);
    }

    // Only the named attributes carry over: opsets before 6 also had "consumed_inputs", which means nothing here.
    private static void Unary(NodeLowering n, params string[] attributes)
        => n.Emit(n.OpType, [n.RequiredInput(0, "input")], OnnxAttributes.Copy(n, attributes), 1);

    // Clip's bounds are attributes before opset 11 and optional inputs from 11; the canonical op takes attributes.
    // Bounds computed at run time become Min(Max(x, min), max), which is also ONNX's rule when min > max.
    private static void Clip(NodeLowering n)
    {
        var x = n.RequiredInput(0, "input");
        if (n.Opset < 11)
        {
            n.Emit(OpTypes.Clip, [x], OnnxAttributes.Copy(n, "min", "max"), 1);
            return;
        }
        Value? min = n.Input(1), max = n.Input(2);
        if (min is { IsConstant: false } || max is { IsConstant: false })
        {
            var lower = min is null ? x : n.EmitHelper("max", OpTypes.Max, [x, min], null, x.Type);
            if (max is null)
                n.Emit(OpTypes.Identity, [lower], null, 1);
            else
                n.Emit(OpTypes.Min, [lower, max], null, 1);
            return;
        }
        var attributes = new OpAttributes();
        if (min?.Constant is { } minValue) attributes.Set("min", ScalarOf(n, minValue, "min"));
        if (max?.Constant is { } maxValue) attributes.Set("max", ScalarOf(n, maxValue, "max"));
        n.Emit(OpTypes.Clip, [x], attributes, 1);
    }

    private static float ScalarOf(NodeLowering n, TensorData t, string what) => t.ElementCount == 1
        ? t.ToFloatArray()[0]
        : throw new Atc.Options.AtcException(Atc.Options.Errors.AtcErrors.InvalidModel(
            $"node {n.Node} has a {what} of {t.ElementCount} elements; it must be a scalar"));

    // "to" is a type code from opset 6 and a type name ("FLOAT") in opset 1.
    private static void Cast(NodeLowering n)
    {
        int code = n.Node.Has("to") && n.Opset < 6 && n.Node.Attributes.First(a => a.Name == "to").HasS
            ? OnnxDataTypes.CodeFromName(n.Node.String("to", ""))
            : OnnxAttributeCodes.TypeCode(n, "to", 0);
        if (OnnxDataTypes.ToDataType(code) is not { } target)
        {
            n.Unsupported($"Cast to {OnnxDataTypes.Name(code)}");
            return;
        }
        if (OnnxDataTypes.IsNarrowed(code))
        {
            // The value keeps its compute type inside the graph, converted to what the storage type holds (float16 and
            // bfloat16 round, integers wrap) as ONNX Runtime computes it.
            var stored = OnnxDataTypes.StorageType(code)!.Value;
            var narrow = n.EmitHelper("to_" + stored.Name(), OpTypes.Cast, [n.RequiredInput(0, "input")], new OpAttributes().Set("to", (long)stored), stored);
            n.Emit(OpTypes.Cast, [narrow], new OpAttributes().Set("to", (long)target), 1, target);
            return;
        }
        n.Emit(OpTypes.Cast, [n.RequiredInput(0, "input")], new OpAttributes().Set("to", (long)code), 1, target);
    }

    // CastLike(input, target_type) casts to the element type of its second input.
    private static void CastLike(NodeLowering n)
    {
        var target = n.RequiredInput(1, "target_type");
        if (target.Type == DataType.Undefined) return; // its producer is already reported unsupported
        n.Emit(OpTypes.Cast, [n.RequiredInput(0, "input")], new OpAttributes().Set("to", (long)target.Type), 1, target.Type);
    }

    // Before opset 7 a 1-D slope applies along the channel axis (1), not numpy's last axis: give it trailing unit axes.
    private static void PRelu(NodeLowering n)
    {
        var x = n.RequiredInput(0, "X");
        var slope = n.RequiredInput(1, "slope");
        if (n.Opset < 7 && n.Context.Ranks.RankOf(slope) == 1)
        {
            if (n.Context.Ranks.RankOf(x) is not { } rank)
            {
                n.Unsupported("PRelu (opset < 7) on an input of unknown rank");
                return;
            }
            slope = LegacyBroadcast.AppendUnitAxes(n, slope, 1, Math.Max(0, rank - 2), "slope");
        }
        n.Emit(OpTypes.PRelu, [x, slope], null, 1);
    }

    // Inference-time Dropout passes its input through and keeps every element: its mask (opset 7+ boolean output 1)
    // is all true, of the input's shape. (Opsets before 7 had is_test and a float mask; compiled models are for
    // inference, so is_test is ignored as every inference engine does.)
    private static void Dropout(NodeLowering n)
    {
        if (TrainingModeOn(n))
        {
            n.Unsupported("Dropout in training mode");
            return;
        }
        if (n.Opset < 7 && !n.RequireUnusedOutputsFrom(1, "mask")) return;
        var data = n.RequiredInput(0, "data");
        n.Emit(OpTypes.Identity, [data], null, 1);
        if (n.IsOutputUsed(1)) EmitAllTrueMask(n, data);
    }

    private static void EmitAllTrueMask(NodeLowering n, Value data)
    {
        var shape = n.EmitHelper("mask_shape", OpTypes.Shape, [data], null, DataType.Int64);
        var attributes = new OpAttributes().Set("value", new AttributeValue(TensorData.FromArray(DataType.Bool, [1], new byte[] { 1 })));
        n.EmitOutput(1, "mask", OpTypes.ConstantOfShape, [shape], attributes, DataType.Bool);
    }

    private static bool TrainingModeOn(NodeLowering n)
    {
        var mode = n.Input(2);
        if (mode is null) return false;
        return mode.Constant is not { } c || c.ToInt64Array().Any(v => v != 0);
    }
}
