using System.Numerics;
using System.Numerics.Tensors;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Binary;

internal readonly struct AddOp<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static void VecVec(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(a, b, d);
    public static void VecScalar(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Add(a, b, d);
    public static void ScalarVec(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(b, a, d);
}

internal readonly struct SubOp<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static void VecVec(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
    public static void VecScalar(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
    public static void ScalarVec(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
}

internal readonly struct MulOp<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static void VecVec(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Multiply(a, b, d);
    public static void VecScalar(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Multiply(a, b, d);
    public static void ScalarVec(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Multiply(b, a, d);
}

/// <summary>Division; integers truncate toward zero and a zero divisor gives 0 instead of faulting the process.</summary>
internal readonly struct DivOp<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static void VecVec(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d)
    {
        if (TypeDispatch.IsFloat<T>()) { TensorPrimitives.Divide(a, b, d); return; }
        for (int i = 0; i < d.Length; i++) d[i] = IntDivide(a[i], b[i]);
    }

    public static void VecScalar(ReadOnlySpan<T> a, T b, Span<T> d)
    {
        if (TypeDispatch.IsFloat<T>()) { TensorPrimitives.Divide(a, b, d); return; }
        if (T.IsZero(b)) { d.Clear(); return; }
        TensorPrimitives.Divide(a, b, d);
    }

    public static void ScalarVec(T a, ReadOnlySpan<T> b, Span<T> d)
    {
        if (TypeDispatch.IsFloat<T>()) { TensorPrimitives.Divide(a, b, d); return; }
        for (int i = 0; i < d.Length; i++) d[i] = IntDivide(a, b[i]);
    }

    private static T IntDivide(T a, T b) => T.IsZero(b) ? T.Zero : a / b;
}

internal readonly struct MaxOp<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static void VecVec(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Max(a, b, d);
    public static void VecScalar(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Max(a, b, d);
    public static void ScalarVec(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Max(b, a, d);
}

internal readonly struct MinOp<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static void VecVec(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Min(a, b, d);
    public static void VecScalar(ReadOnlySpan<T> a, T b, Span<T> d) => TensorPrimitives.Min(a, b, d);
    public static void ScalarVec(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Min(b, a, d);
}

internal readonly struct PowOp<T> : IBinaryOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void VecVec(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Pow(a, b, d);

    public static void VecScalar(ReadOnlySpan<T> a, T b, Span<T> d)
    {
        // The common exponents are cheaper as products than through exp/log.
        if (b == T.One) a.CopyTo(d);
        else if (b == T.CreateTruncating(2)) TensorPrimitives.Multiply(a, a, d);
        else if (b == T.CreateTruncating(0.5)) TensorPrimitives.Sqrt(a, d);
        else TensorPrimitives.Pow(a, b, d);
    }

    public static void ScalarVec(T a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Pow(a, b, d);
}

/// <summary>Mod with fmod=0: the remainder takes the sign of the divisor (Python's %); x mod 0 = 0.</summary>
internal readonly struct FloorModOp<T> : IScalarBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b)
    {
        if (T.IsZero(b)) return TypeDispatch.IsFloat<T>() ? a % b : T.Zero;
        T r = a % b;
        return !T.IsZero(r) && T.IsNegative(r) != T.IsNegative(b) ? r + b : r;
    }
}

/// <summary>Mod with fmod=1: C's fmod, the remainder takes the sign of the dividend; integer x mod 0 = 0.</summary>
internal readonly struct TruncModOp<T> : IScalarBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => T.IsZero(b) && !TypeDispatch.IsFloat<T>() ? T.Zero : a % b;
}

/// <summary>Pow for integers, computed in double precision and truncated back (what C's pow then a cast gives).</summary>
internal readonly struct IntPowOp<T> : IScalarBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => T.CreateSaturating(Math.Pow(double.CreateTruncating(a), double.CreateTruncating(b)));
}

/// <summary>PRelu: x &lt; 0 ? slope * x : x.</summary>
internal readonly struct PReluOp : IBinaryOp<float, float>
{
    public static void VecVec(ReadOnlySpan<float> x, ReadOnlySpan<float> slope, Span<float> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= d.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                Vector.ConditionalSelect(Vector.LessThan(v, Vector<float>.Zero), v * new Vector<float>(slope[i..]), v).CopyTo(d[i..]);
            }
        }
        for (; i < d.Length; i++) d[i] = x[i] < 0 ? slope[i] * x[i] : x[i];
    }

    public static void VecScalar(ReadOnlySpan<float> x, float slope, Span<float> d) => VectorMath.LeakyRelu(x, slope, d);

    public static void ScalarVec(float x, ReadOnlySpan<float> slope, Span<float> d)
    {
        if (x < 0) TensorPrimitives.Multiply(slope, x, d);
        else d.Fill(x);
    }
}
