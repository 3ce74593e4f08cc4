using System.Numerics;
using System.Numerics.Tensors;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Unary;

/// <summary>The unary ops: plain functions from TensorPrimitives and the parameterised activations (float32).</summary>
internal static class UnaryOperators
{
    public static IEnumerable<IOperator> All() =>
    [
        Number<ReluFunction>(OpTypes.Relu, Numeric.Signed),
        Number<NegFunction>(OpTypes.Neg, Numeric.Signed),
        Number<AbsFunction>(OpTypes.Abs, Numeric.Numbers),
        Number<SignFunction>(OpTypes.Sign, Numeric.Numbers),
        Float<SigmoidFunction>(OpTypes.Sigmoid),
        Float<TanhFunction>(OpTypes.Tanh),
        Float<ExpFunction>(OpTypes.Exp),
        Float<LogFunction>(OpTypes.Log),
        Float<SqrtFunction>(OpTypes.Sqrt),
        Float<ReciprocalFunction>(OpTypes.Reciprocal),
        Float<FloorFunction>(OpTypes.Floor),
        Float<CeilFunction>(OpTypes.Ceil),
        Float<RoundFunction>(OpTypes.Round),
        Float<SinFunction>(OpTypes.Sin),
        Float<CosFunction>(OpTypes.Cos),
        Float<ErfFunction>(OpTypes.Erf),
        Float<TanFunction>(OpTypes.Tan),
        Float<AsinFunction>(OpTypes.Asin),
        Float<AcosFunction>(OpTypes.Acos),
        Float<AtanFunction>(OpTypes.Atan),
        Float<SinhFunction>(OpTypes.Sinh),
        Float<CoshFunction>(OpTypes.Cosh),
        Float<AsinhFunction>(OpTypes.Asinh),
        Float<AcoshFunction>(OpTypes.Acosh),
        Float<AtanhFunction>(OpTypes.Atanh),
        new FloatClassOperator(OpTypes.IsNaN),
        new FloatClassOperator(OpTypes.IsInf),
        new UnaryOperator(OpTypes.Identity, Numeric.Any, (_, x) => new CopyKernel(x.ByteCount)),
        new UnaryOperator(OpTypes.Not, Numeric.Bool, (_, x) => new NotKernel(x.ElementCount)),
        Activation(OpTypes.LeakyRelu, a => LeakyRelu(a.GetFloat("alpha", 0.01f))),
        Activation(OpTypes.Elu, a => Elu(a.GetFloat("alpha", 1f), 1f)),
        Activation(OpTypes.Selu, a => Elu(a.GetFloat("alpha", 1.67326319217681884765625f), a.GetFloat("gamma", 1.05070102214813232421875f))),
        Activation(OpTypes.Celu, a => Celu(a.GetFloat("alpha", 1f))),
        Activation(OpTypes.HardSigmoid, a => HardSigmoid(a.GetFloat("alpha", 0.2f), a.GetFloat("beta", 0.5f))),
        Activation(OpTypes.HardSwish, _ => HardSwish),
        Activation(OpTypes.Shrink, a => Shrink(a.GetFloat("bias", 0f), a.GetFloat("lambd", 0.5f))),
        Activation(OpTypes.ThresholdedRelu, a => ThresholdedRelu(a.GetFloat("alpha", 1f))),
        Activation(OpTypes.Softplus, _ => Softplus),
        Activation(OpTypes.Softsign, _ => Softsign),
    ];

    private static UnaryOperator Number<TFunction>(string opType, DataType[] supported) where TFunction : INumberFunction =>
        new(opType, supported, (_, x) => TypeDispatch.Number(x.Type, new NumberFactory<TFunction>(x.ElementCount)));

    private static UnaryOperator Float<TFunction>(string opType) where TFunction : IFloatFunction =>
        new(opType, Numeric.Floats, (_, x) => TypeDispatch.Float(x.Type, new FloatFactory<TFunction>(x.ElementCount)));

    private static UnaryOperator Activation(string opType, Func<OpAttributes, FloatMap> map) =>
        new(opType, Numeric.Float, (c, x) => new FloatMapKernel(x.ElementCount, map(c.Attributes)));

    private readonly struct NumberFactory<TFunction>(long count) : INumberKernelFactory where TFunction : INumberFunction
    {
        public IKernel Create<T>() where T : unmanaged, INumber<T> => new NumberFunctionKernel<T, TFunction>(count);
    }

    private readonly struct FloatFactory<TFunction>(long count) : IFloatKernelFactory where TFunction : IFloatFunction
    {
        public IKernel Create<T>() where T : unmanaged, IFloatingPointIeee754<T> => new FloatFunctionKernel<T, TFunction>(count);
    }

    internal static FloatMap LeakyRelu(float alpha) => (x, y) => VectorMath.LeakyRelu(x, alpha, y);

    /// <summary>Elu scaled by gamma (Selu): gamma * (x &lt; 0 ? alpha * (e^x - 1) : x).</summary>
    private static FloatMap Elu(float alpha, float gamma) => Blocked.Map((xs, t, ys) =>
    {
        TensorPrimitives.ExpM1(xs, t);
        VectorMath.SelectNegative(xs, t, alpha, ys);
        if (gamma != 1f) TensorPrimitives.Multiply(ys, gamma, ys);
    });

    /// <summary>Celu: x &lt; 0 ? alpha * (e^(x/alpha) - 1) : x.</summary>
    private static FloatMap Celu(float alpha) => Blocked.Map((xs, t, ys) =>
    {
        TensorPrimitives.Multiply(xs, 1f / alpha, t);
        TensorPrimitives.ExpM1(t, t);
        VectorMath.SelectNegative(xs, t, alpha, ys);
    });

    internal static FloatMap HardSigmoid(float alpha, float beta) => (x, y) =>
    {
        TensorPrimitives.Multiply(x, alpha, y);
        TensorPrimitives.Add(y, beta, y);
        TensorPrimitives.Clamp(y, 0f, 1f, y);
    };

    /// <summary>HardSwish: x * clamp(x / 6 + 1/2, 0, 1).</summary>
    private static readonly FloatMap HardSwish = Blocked.Map((xs, t, ys) =>
    {
        TensorPrimitives.Multiply(xs, 1f / 6f, t);
        TensorPrimitives.Add(t, 0.5f, t);
        TensorPrimitives.Clamp(t, 0f, 1f, t);
        TensorPrimitives.Multiply(xs, t, ys);
    });

    private static FloatMap Shrink(float bias, float lambda) => (x, y) =>
    {
        for (int i = 0; i < y.Length; i++)
        {
            float v = x[i];
            y[i] = v < -lambda ? v + bias : v > lambda ? v - bias : 0f;
        }
    };

    private static FloatMap ThresholdedRelu(float alpha) => (x, y) => VectorMath.Threshold(x, alpha, y);

    /// <summary>Softplus: log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so large x does not overflow.</summary>
    private static readonly FloatMap Softplus = Blocked.Map((xs, t, ys) =>
    {
        TensorPrimitives.Abs(xs, t);
        TensorPrimitives.Negate(t, t);
        TensorPrimitives.Exp(t, t);
        TensorPrimitives.LogP1(t, t);
        TensorPrimitives.Max(xs, 0f, ys);
        TensorPrimitives.Add(ys, t, ys);
    });

    /// <summary>Softsign: x / (1 + |x|).</summary>
    private static readonly FloatMap Softsign = Blocked.Map((xs, t, ys) =>
    {
        TensorPrimitives.Abs(xs, t);
        TensorPrimitives.Add(t, 1f, t);
        TensorPrimitives.Divide(xs, t, ys);
    });
}

/// <summary>Not on bool bytes: x xor 1.</summary>
internal sealed class NotKernel(long count) : MapKernel<byte>(count)
{
    public override void Apply(ReadOnlySpan<byte> x, Span<byte> y) => TensorPrimitives.Xor(x, (byte)1, y);
}
