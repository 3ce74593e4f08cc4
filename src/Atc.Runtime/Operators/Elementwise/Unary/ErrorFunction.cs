using System.Numerics;
using System.Numerics.Tensors;

namespace Atc.Runtime.Operators.Elementwise.Unary;

/// <summary>
/// erf(x). Float32 runs vectorised: a Maclaurin polynomial for |x| &lt; 0.5 (exact to float precision there, which
/// keeps small inputs relatively accurate) and Abramowitz–Stegun 7.1.26, 1 - poly(t)·exp(-x²) with
/// t = 1/(1 + p|x|), beyond (absolute error ≤ 1.5e-7). Double precision uses the series and a continued fraction.
/// </summary>
internal static class ErrorFunction
{
    private const double TwoOverSqrtPi = 1.1283791670955126;

    // Abramowitz & Stegun 7.1.26.
    private const float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    // 2/sqrt(pi) * (-1)^n / (n! (2n+1)) for n = 0..6: erf(x) = x * sum_n C_n x^(2n).
    private const float C0 = 1.1283791671f, C1 = -0.3761263890f, C2 = 0.1128379167f, C3 = -0.0268661706f,
        C4 = 0.0052239776f, C5 = -0.0008548325f, C6 = 0.0001205529f;

    public static void Erf(ReadOnlySpan<float> x, Span<float> y)
    {
        Span<float> poly = stackalloc float[UnaryBlocks.BlockSize];
        Span<float> gauss = stackalloc float[UnaryBlocks.BlockSize];
        for (int start = 0; start < y.Length; start += UnaryBlocks.BlockSize)
        {
            int n = Math.Min(UnaryBlocks.BlockSize, y.Length - start);
            var xs = x.Slice(start, n);
            var ys = y.Slice(start, n);
            var p = poly[..n];
            var g = gauss[..n];
            int i = 0;
            int width = Vector<float>.Count;
            for (; i <= n - width; i += width)
            {
                var v = new Vector<float>(xs[i..]);
                var t = Vector<float>.One / (Vector<float>.One + new Vector<float>(P) * Vector.Abs(v));
                var q = ((((new Vector<float>(A5) * t + new Vector<float>(A4)) * t + new Vector<float>(A3)) * t + new Vector<float>(A2)) * t + new Vector<float>(A1)) * t;
                q.CopyTo(p[i..]);
                (-(v * v)).CopyTo(g[i..]);
            }
            for (; i < n; i++)
            {
                float t = 1f / (1f + P * MathF.Abs(xs[i]));
                p[i] = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
                g[i] = -(xs[i] * xs[i]);
            }
            TensorPrimitives.Exp(g, g);
            i = 0;
            for (; i <= n - width; i += width)
            {
                var v = new Vector<float>(xs[i..]);
                var tail = Vector<float>.One - new Vector<float>(p[i..]) * new Vector<float>(g[i..]);
                tail = Vector.ConditionalSelect(Vector.LessThan(v, Vector<float>.Zero), -tail, tail);
                var s = v * v;
                var series = v * ((((((new Vector<float>(C6) * s + new Vector<float>(C5)) * s + new Vector<float>(C4)) * s
                    + new Vector<float>(C3)) * s + new Vector<float>(C2)) * s + new Vector<float>(C1)) * s + new Vector<float>(C0));
                Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(v), new Vector<float>(0.5f)), series, tail).CopyTo(ys[i..]);
            }
            for (; i < n; i++)
            {
                float v = xs[i];
                if (MathF.Abs(v) < 0.5f)
                {
                    float s = v * v;
                    ys[i] = v * ((((((C6 * s + C5) * s + C4) * s + C3) * s + C2) * s + C1) * s + C0);
                }
                else
                {
                    float tail = 1f - p[i] * g[i];
                    ys[i] = v < 0 ? -tail : tail;
                }
            }
        }
    }

    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        if (a >= 6) return Math.Sign(x);
        double r = a < 2.5 ? Series(a) : 1 - ComplementFraction(a);
        return x < 0 ? -r : r;
    }

    /// <summary>erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1)).</summary>
    private static double Series(double x)
    {
        double x2 = x * x, term = x, sum = x;
        for (int n = 1; n < 80; n++)
        {
            term *= -x2 / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
        }
        return TwoOverSqrtPi * sum;
    }

    /// <summary>erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), evaluated bottom-up.</summary>
    private static double ComplementFraction(double x)
    {
        double f = x;
        for (int k = 60; k >= 1; k--) f = x + k / 2.0 / f;
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }
}
