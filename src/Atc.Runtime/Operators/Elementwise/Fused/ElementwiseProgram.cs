using System.Globalization;
using System.Numerics.Tensors;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Elementwise.Binary;
using Atc.Runtime.Operators.Elementwise.Unary;

namespace Atc.Runtime.Operators.Elementwise.Fused;

/// <summary>Where a step's second operand comes from.</summary>
internal enum StepOperand
{
    /// <summary>A unary step (its parameters, if any, start at scalars[index]).</summary>
    None,
    /// <summary>value op inputs[index].</summary>
    Input,
    /// <summary>inputs[index] op value.</summary>
    InputFirst,
    /// <summary>value op scalars[index].</summary>
    Scalar,
    /// <summary>scalars[index] op value.</summary>
    ScalarFirst,
}

/// <summary>One step of a fused chain: the op applied to the running value, and its operand.</summary>
internal sealed record ElementwiseStep(string Op, StepOperand Operand, int Index)
{
    private static readonly string[] OperandNames = ["p", "in", "rin", "sc", "rsc"];

    /// <summary>The step as the "steps" attribute spells it: "Op:kind:index" (kind p, in, rin, sc or rsc).</summary>
    public string Encode() => string.Create(CultureInfo.InvariantCulture, $"{Op}:{OperandNames[(int)Operand]}:{Index}");

    public static ElementwiseStep Decode(string text)
    {
        var parts = text.Split(':');
        int kind = parts.Length == 3 ? Array.IndexOf(OperandNames, parts[1]) : -1;
        if (kind < 0 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            throw new ShapeException($"{OpTypes.FusedElementwise}: step '{text}' is not \"Op:kind:index\" with kind one of {string.Join(", ", OperandNames)}");
        return new ElementwiseStep(parts[0], (StepOperand)kind, index);
    }
}

/// <summary>
/// The ops a fused chain may hold, each computed by the same routine the op's own kernel uses, so a fused chain
/// gives the unfused chain's bits: binaries through their <see cref="IBinaryOp{T, TOut}"/>, unaries through their
/// function or activation map.
/// </summary>
internal static class ElementwiseProgram
{
    /// <summary>Binary ops a chain may hold.</summary>
    public static readonly string[] Binaries = [OpTypes.Add, OpTypes.Sub, OpTypes.Mul, OpTypes.Div, OpTypes.Max, OpTypes.Min];

    /// <summary>Unary ops a chain may hold, with the number of float parameters each takes from "scalars".</summary>
    public static readonly IReadOnlyDictionary<string, int> Unaries = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [OpTypes.Relu] = 0, [OpTypes.Neg] = 0, [OpTypes.Abs] = 0, [OpTypes.Sigmoid] = 0, [OpTypes.Tanh] = 0,
        [OpTypes.Exp] = 0, [OpTypes.Log] = 0, [OpTypes.Sqrt] = 0, [OpTypes.Reciprocal] = 0, [OpTypes.Erf] = 0,
        [OpTypes.Floor] = 0, [OpTypes.Ceil] = 0, [OpTypes.Silu] = 0, [OpTypes.Mish] = 0, [OpTypes.HardSwish] = 0,
        [OpTypes.Gelu] = 0, [FusedActivations.GeluTanhName] = 0,
        [OpTypes.LeakyRelu] = 1, [OpTypes.HardSigmoid] = 2, [OpTypes.Clip] = 2,
    };

    /// <summary>value = op(value) for a unary step, with its parameters.</summary>
    public static FloatMap Unary(string op, ReadOnlySpan<float> parameters) => op switch
    {
        OpTypes.Relu => (x, y) => ReluFunction.Apply(x, y),
        OpTypes.Neg => (x, y) => NegFunction.Apply(x, y),
        OpTypes.Abs => (x, y) => AbsFunction.Apply(x, y),
        OpTypes.Sigmoid => (x, y) => SigmoidFunction.Apply(x, y),
        OpTypes.Tanh => (x, y) => TanhFunction.Apply(x, y),
        OpTypes.Exp => (x, y) => ExpFunction.Apply(x, y),
        OpTypes.Log => (x, y) => LogFunction.Apply(x, y),
        OpTypes.Sqrt => (x, y) => SqrtFunction.Apply(x, y),
        OpTypes.Reciprocal => (x, y) => ReciprocalFunction.Apply(x, y),
        OpTypes.Erf => (x, y) => ErfFunction.Apply(x, y),
        OpTypes.Floor => (x, y) => FloorFunction.Apply(x, y),
        OpTypes.Ceil => (x, y) => CeilFunction.Apply(x, y),
        OpTypes.LeakyRelu => UnaryOperators.LeakyRelu(parameters[0]),
        OpTypes.HardSigmoid => UnaryOperators.HardSigmoid(parameters[0], parameters[1]),
        OpTypes.Clip => Clip(parameters[0], parameters[1]),
        _ => FusedActivations.ByEpilogueName(op)
             ?? throw new ShapeException($"{OpTypes.FusedElementwise}: '{op}' is not an op a fused chain can hold"),
    };

    /// <summary>As ClipKernel: min &gt; max gives max everywhere.</summary>
    private static FloatMap Clip(float min, float max) => (x, y) =>
    {
        if (min > max) y.Fill(max);
        else TensorPrimitives.Clamp(x, min, max, y);
    };

    /// <summary>value = value op operand, element by element, with the operand a run or one repeated element.</summary>
    public static void Binary(string op, Span<float> value, ReadOnlySpan<float> operand, bool operandIsRun, bool operandFirst)
    {
        switch (op)
        {
            case OpTypes.Add: Apply<AddOp<float>>(value, operand, operandIsRun, operandFirst); break;
            case OpTypes.Sub: Apply<SubOp<float>>(value, operand, operandIsRun, operandFirst); break;
            case OpTypes.Mul: Apply<MulOp<float>>(value, operand, operandIsRun, operandFirst); break;
            case OpTypes.Div: Apply<DivOp<float>>(value, operand, operandIsRun, operandFirst); break;
            case OpTypes.Max: Apply<MaxOp<float>>(value, operand, operandIsRun, operandFirst); break;
            case OpTypes.Min: Apply<MinOp<float>>(value, operand, operandIsRun, operandFirst); break;
            default: throw new InvalidOperationException($"{OpTypes.FusedElementwise}: '{op}' is not a binary step");
        }
    }

    private static void Apply<TOp>(Span<float> value, ReadOnlySpan<float> operand, bool operandIsRun, bool operandFirst)
        where TOp : IBinaryOp<float, float>
    {
        if (operandIsRun)
        {
            if (operandFirst) TOp.VecVec(operand, value, value);
            else TOp.VecVec(value, operand, value);
        }
        else if (operandFirst) TOp.ScalarVec(operand[0], value, value);
        else TOp.VecScalar(value, operand[0], value);
    }
}
