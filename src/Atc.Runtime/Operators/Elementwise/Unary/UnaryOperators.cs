using System.Numerics;
using System.Numerics.Tensors;
using Atc.Runtime.Core;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Unary;

/// <summary>The unary ops: plain functions from TensorPrimitives and the parameterised activations (float32).</summary>
internal static class UnaryOperators
{
    public static IEnumerable<OperatorEntry> Entries() =>
    [
        new(OpTypes.Relu, static t => Number<ReluFunction>(t, Numeric.Signed)),
        new(OpTypes.Neg, static t => Number<NegFunction>(t, Numeric.Signed)),
        new(OpTypes.Abs, static t => Number<AbsFunction>(t, Numeric.Numbers)),
        new(OpTypes.Sign, static t => Number<SignFunction>(t, Numeric.Numbers)),
        new(OpTypes.Sigmoid, static t => Float<SigmoidFunction>(t)),
        new(OpTypes.Tanh, static t => Float<TanhFunction>(t)),
        new(OpTypes.Exp, static t => Float<ExpFunction>(t)),
        new(OpTypes.Log, static t => Float<LogFunction>(t)),
        new(OpTypes.Sqrt, static t => Float<SqrtFunction>(t)),
        new(OpTypes.Reciprocal, static t => Float<ReciprocalFunction>(t)),
        new(OpTypes.Floor, static t => Float<FloorFunction>(t)),
        new(OpTypes.Ceil, static t => Float<CeilFunction>(t)),
        new(OpTypes.Round, static t => Float<RoundFunction>(t)),
        new(OpTypes.Sin, static t => Float<SinFunction>(t)),
        new(OpTypes.Cos, static t => Float<CosFunction>(t)),
        new(OpTypes.Erf, static t => Float<ErfFunction>(t)),
        new(OpTypes.Tan, static t => Float<TanFunction>(t)),
        new(OpTypes.Asin, static t => Float<AsinFunction>(t)),
        new(OpTypes.Acos, static t => Float<AcosFunction>(t)),
        new(OpTypes.Atan, static t => Float<AtanFunction>(t)),
        new(OpTypes.Sinh, static t => Float<SinhFunction>(t)),
        new(OpTypes.Cosh, static t => Float<CoshFunction>(t)),
        new(OpTypes.Asinh, static t => Float<AsinhFunction>(t)),
        new(OpTypes.Acosh, static t => Float<AcoshFunction>(t)),
        new(OpTypes.Atanh, static t => Float<AtanhFunction>(t)),
        new(OpTypes.IsNaN, static t => new FloatClassOperator(t)),
        new(OpTypes.IsInf, static t => new FloatClassOperator(t)),
        new(OpTypes.Identity, static t => new UnaryOperator(t, Numeric.Any, (_, x) => new CopyKernel(x.ByteCount))),
        new(OpTypes.Not, static t => new UnaryOperator(t, Numeric.Bool, (_, x) => new NotKernel(x.ElementCount))),
        new(OpTypes.LeakyRelu, static t => Activation(t, a => LeakyRelu(a.GetFloat("alpha", 0.01f)))),
        new(OpTypes.Elu, static t => Activation(t, a => Elu(a.GetFloat("alpha", 1f), 1f))),
        new(OpTypes.Selu, static t => Activation(t, a => Elu(a.GetFloat("alpha", 1.67326319217681884765625f), a.GetFloat("gamma", 1.05070102214813232421875f)))),
        new(OpTypes.Celu, static t => Activation(t, a => Celu(a.GetFloat("alpha", 1f)))),
        new(OpTypes.HardSigmoid, static t => Activation(t, a => HardSigmoid(a.GetFloat("alpha", 0.2f), a.GetFloat("beta", 0.5f)))),
        new(OpTypes.HardSwish, static t => Activation(t, _ => HardSwish)),
        new(OpTypes.Shrink, static t => Activation(t, a => Shrink(a.GetFloat("bias", 0f), a.GetFloat("lambd", 0.5f)))),
        new(OpTypes.ThresholdedRelu, static t => Activation(t, a => ThresholdedRelu(a.GetFloat("alpha", 1f)))),
        new(OpTypes.Softplus, static t => Activation(t, _ => Softplus)),
        new(OpTypes.Softsign, static t => Activation(t, _ => Softsign)),
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
