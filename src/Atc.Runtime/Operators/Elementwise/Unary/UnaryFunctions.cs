using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Atc.Runtime.Operators.Elementwise.Unary;

/// <summary>A unary function over any numeric element type.</summary>
internal interface INumberFunction
{
    static abstract void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T>;
}

/// <summary>A unary function over float and double.</summary>
internal interface IFloatFunction
{
    static abstract void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
}

internal sealed class NumberFunctionKernel<T, TFunction>(long count) : MapKernel<T>(count)
    where T : unmanaged, INumber<T> where TFunction : INumberFunction
{
    public override void Apply(ReadOnlySpan<T> x, Span<T> y) => TFunction.Apply(x, y);
}

internal sealed class FloatFunctionKernel<T, TFunction>(long count) : MapKernel<T>(count)
    where T : unmanaged, IFloatingPointIeee754<T> where TFunction : IFloatFunction
{
    public override void Apply(ReadOnlySpan<T> x, Span<T> y) => TFunction.Apply(x, y);
}

internal readonly struct ReluFunction : INumberFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Max(x, T.Zero, y);
}

internal readonly struct NegFunction : INumberFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T> => TensorPrimitives.Negate(x, y);
}

internal readonly struct AbsFunction : INumberFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(byte)) x.CopyTo(y); // unsigned: already non-negative
        else TensorPrimitives.Abs(x, y);
    }
}

/// <summary>Sign: -1, 0 or 1; NaN stays NaN (Math.Sign would throw).</summary>
internal readonly struct SignFunction : INumberFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < y.Length; i++)
        {
            T v = x[i];
            y[i] = v > T.Zero ? T.One : v < T.Zero ? -T.One : v;
        }
    }
}

internal readonly struct SigmoidFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sigmoid(x, y);
}

internal readonly struct TanhFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Tanh(x, y);
}

internal readonly struct ExpFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, y);
}

internal readonly struct LogFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log(x, y);
}

internal readonly struct SqrtFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y);
}

internal readonly struct ReciprocalFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Reciprocal(x, y);
}

internal readonly struct FloorFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Floor(x, y);
}

internal readonly struct CeilFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Ceiling(x, y);
}

/// <summary>Round half to even, as ONNX specifies.</summary>
internal readonly struct RoundFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Round(x, MidpointRounding.ToEven, y);
}

internal readonly struct SinFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sin(x, y);
}

internal readonly struct CosFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Cos(x, y);
}

internal readonly struct TanFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Tan(x, y);
}

internal readonly struct AsinFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Asin(x, y);
}

internal readonly struct AcosFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Acos(x, y);
}

internal readonly struct AtanFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Atan(x, y);
}

internal readonly struct SinhFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sinh(x, y);
}

internal readonly struct CoshFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Cosh(x, y);
}

internal readonly struct AsinhFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Asinh(x, y);
}

internal readonly struct AcoshFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Acosh(x, y);
}

internal readonly struct AtanhFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Atanh(x, y);
}

internal readonly struct ErfFunction : IFloatFunction
{
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            ErrorFunction.Erf(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
            return;
        }
        for (int i = 0; i < y.Length; i++) y[i] = T.CreateTruncating(ErrorFunction.Erf(double.CreateTruncating(x[i])));
    }
}
