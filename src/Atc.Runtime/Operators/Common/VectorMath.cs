using System.Numerics;

namespace Atc.Runtime.Operators.Common;

/// <summary>Vector loops for the few float functions that TensorPrimitives does not offer as one call.</summary>
internal static class VectorMath
{
    /// <summary>y = x &lt; 0 ? alpha * x : x.</summary>
    /// <summary>y = x · scale + shift, one fused multiply-add per element (x and y may alias).</summary>
    public static void ScaleShift(ReadOnlySpan<float> x, float scale, float shift, Span<float> y)
    {
        int i = 0;
        var s = new Vector<float>(scale);
        var b = new Vector<float>(shift);
        for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
            Vector.FusedMultiplyAdd(new Vector<float>(x[i..]), s, b).CopyTo(y[i..]);
        for (; i < y.Length; i++) y[i] = MathF.FusedMultiplyAdd(x[i], scale, shift);
    }

    public static void LeakyRelu(ReadOnlySpan<float> x, float alpha, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var a = new Vector<float>(alpha);
            for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                Vector.ConditionalSelect(Vector.LessThan(v, Vector<float>.Zero), v * a, v).CopyTo(y[i..]);
            }
        }
        for (; i < y.Length; i++) y[i] = x[i] < 0 ? alpha * x[i] : x[i];
    }

    /// <summary>y = x &lt; 0 ? scale * negative : x, where <paramref name="negative"/> holds the negative-side value.</summary>
    public static void SelectNegative(ReadOnlySpan<float> x, ReadOnlySpan<float> negative, float scale, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<float>(scale);
            for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                Vector.ConditionalSelect(Vector.LessThan(v, Vector<float>.Zero), new Vector<float>(negative[i..]) * s, v).CopyTo(y[i..]);
            }
        }
        for (; i < y.Length; i++) y[i] = x[i] < 0 ? scale * negative[i] : x[i];
    }

    /// <summary>y = x &gt; threshold ? x : 0.</summary>
    public static void Threshold(ReadOnlySpan<float> x, float threshold, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var t = new Vector<float>(threshold);
            for (; i <= y.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                Vector.ConditionalSelect(Vector.GreaterThan(v, t), v, Vector<float>.Zero).CopyTo(y[i..]);
            }
        }
        for (; i < y.Length; i++) y[i] = x[i] > threshold ? x[i] : 0f;
    }
}
