using Atc.Runtime;
using Atc.Runtime.Core;

namespace Atc.Tests.TestSupport;

/// <summary>How far an output is from its reference. <see cref="Within"/> says whether it passed.</summary>
internal sealed record Comparison(bool Within, double MaxAbsError, double MaxAbsReference, string Detail)
{
    public override string ToString() => Detail;
}

/// <summary>Element-wise comparisons of whole tensors (shape, type and values).</summary>
internal static class TensorCompare
{
    /// <summary>
    /// numpy.testing.assert_allclose semantics: |actual - expected| ≤ atol + rtol·|expected| for every element, NaN
    /// equal to NaN, infinities equal only to themselves. Integer and bool tensors must match exactly.
    /// </summary>
    public static Comparison AllClose(TensorData actual, TensorData expected, double rtol, double atol)
        => Compare(actual, expected, (a, e, _) => Math.Abs(a - e) <= atol + rtol * Math.Abs(e), $"rtol {rtol:G3}, atol {atol:G3}");

    /// <summary>|actual - expected| ≤ relative·max|expected| + atol for every element: a bound scaled by the output's
    /// magnitude, robust to float32 summation order across implementations.</summary>
    public static Comparison ScaledClose(TensorData actual, TensorData expected, double relative, double atol = 0)
        => Compare(actual, expected, (a, e, scale) => Math.Abs(a - e) <= relative * scale + atol, $"{relative:G3}·max|ref| + {atol:G3}");

    private static Comparison Compare(TensorData actual, TensorData expected, Func<double, double, double, bool> close, string rule)
    {
        if (!actual.Dims.AsSpan().SequenceEqual(expected.Dims))
            return new Comparison(false, double.NaN, double.NaN, $"shape {Shape.Format(actual.Dims)}, expected {Shape.Format(expected.Dims)}");
        if (actual.Type != expected.Type)
            return new Comparison(false, double.NaN, double.NaN, $"type {actual.Type.Name()}, expected {expected.Type.Name()}");

        bool exact = expected.Type is not (DataType.Float32 or DataType.Float64);
        // Integers compare as int64 so that values beyond 2^53 stay exact.
        long[]? ai = exact ? actual.ToInt64Array() : null, ei = exact ? expected.ToInt64Array() : null;
        double[] a = ToDoubles(actual), e = ToDoubles(expected);
        double scale = 0;
        foreach (var v in e) if (double.IsFinite(v)) scale = Math.Max(scale, Math.Abs(v));

        double maxError = 0;
        int bad = 0, firstBad = -1;
        for (int i = 0; i < a.Length; i++)
        {
            bool same = exact ? ai![i] == ei![i] : a[i].Equals(e[i]); // Equals: NaN matches NaN, inf matches inf
            double error = same ? 0 : Math.Abs(a[i] - e[i]);
            if (double.IsNaN(error)) error = double.PositiveInfinity;
            maxError = Math.Max(maxError, error);
            if (same || !exact && double.IsFinite(e[i]) && close(a[i], e[i], scale)) continue;
            if (bad++ == 0) firstBad = i;
        }
        string detail = bad == 0
            ? $"max |err| {maxError:G3} (max |ref| {scale:G3}; {rule})"
            : $"{bad} of {a.Length} elements outside {(exact ? "exact match" : rule)}: max |err| {maxError:G3}, max |ref| {scale:G3}; first at {firstBad}: got {a[firstBad]:G7}, expected {e[firstBad]:G7}";
        return new Comparison(bad == 0, maxError, scale, detail);
    }

    public static double[] ToDoubles(TensorData t) => t.Type switch
    {
        DataType.Float32 => Array.ConvertAll(t.AsSpan<float>().ToArray(), v => (double)v),
        DataType.Float64 => t.AsSpan<double>().ToArray(),
        DataType.Float16 => Array.ConvertAll(t.AsSpan<Half>().ToArray(), v => (double)v),
        _ => Array.ConvertAll(t.ToInt64Array(), v => (double)v),
    };
}
