using System.Numerics;
using System.Numerics.Tensors;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Reduction;

/// <summary>
/// One reduction, in the two shapes kernels need: a whole contiguous row to one value, and element-wise folding of
/// rows into an accumulator row (for reductions over a middle axis). Both produce finished values.
/// </summary>
internal interface IReduceOp<T> where T : unmanaged
{
    /// <summary>Reduces a non-empty contiguous row to its finished value.</summary>
    static abstract T Row(ReadOnlySpan<T> x);
    /// <summary>acc = f(x) for the first row.</summary>
    static abstract void Init(ReadOnlySpan<T> x, Span<T> acc);
    /// <summary>acc = acc ⊕ f(x).</summary>
    static abstract void Accumulate(ReadOnlySpan<T> x, Span<T> acc);
    /// <summary>Finishes an accumulator over <paramref name="count"/> rows (Mean divides, L2 takes the root).</summary>
    static abstract void Finish(Span<T> acc, long count);
    /// <summary>Whether Init/Accumulate exist; if not, middle-axis reductions transpose first.</summary>
    static abstract bool CanAccumulate { get; }
    /// <summary>The value of a reduction over zero elements.</summary>
    static abstract T Empty { get; }
}

internal readonly struct SumReduce<T> : IReduceOp<T> where T : unmanaged, INumber<T>
{
    public static T Row(ReadOnlySpan<T> x) => TensorPrimitives.Sum(x);
    public static void Init(ReadOnlySpan<T> x, Span<T> acc) => x.CopyTo(acc);
    public static void Accumulate(ReadOnlySpan<T> x, Span<T> acc) => TensorPrimitives.Add(acc, x, acc);
    public static void Finish(Span<T> acc, long count) { }
    public static bool CanAccumulate => true;
    public static T Empty => T.Zero;
}

internal readonly struct MeanReduce<T> : IReduceOp<T> where T : unmanaged, INumber<T>
{
    public static T Row(ReadOnlySpan<T> x) => TensorPrimitives.Sum(x) / T.CreateTruncating(x.Length);
    public static void Init(ReadOnlySpan<T> x, Span<T> acc) => x.CopyTo(acc);
    public static void Accumulate(ReadOnlySpan<T> x, Span<T> acc) => TensorPrimitives.Add(acc, x, acc);
    public static void Finish(Span<T> acc, long count)
    {
        if (TypeDispatch.IsFloat<T>()) TensorPrimitives.Multiply(acc, T.One / T.CreateTruncating(count), acc);
        else TensorPrimitives.Divide(acc, T.CreateTruncating(count), acc);
    }
    public static bool CanAccumulate => true;
    public static T Empty => TypeDispatch.IsFloat<T>() ? T.CreateTruncating(double.NaN) : T.Zero;
}

internal readonly struct MaxReduce<T> : IReduceOp<T> where T : unmanaged, INumber<T>
{
    public static T Row(ReadOnlySpan<T> x) => TensorPrimitives.Max(x);
    public static void Init(ReadOnlySpan<T> x, Span<T> acc) => x.CopyTo(acc);
    public static void Accumulate(ReadOnlySpan<T> x, Span<T> acc) => TensorPrimitives.Max(acc, x, acc);
    public static void Finish(Span<T> acc, long count) { }
    public static bool CanAccumulate => true;
    public static T Empty => T.CreateSaturating(double.NegativeInfinity);
}

internal readonly struct MinReduce<T> : IReduceOp<T> where T : unmanaged, INumber<T>
{
    public static T Row(ReadOnlySpan<T> x) => TensorPrimitives.Min(x);
    public static void Init(ReadOnlySpan<T> x, Span<T> acc) => x.CopyTo(acc);
    public static void Accumulate(ReadOnlySpan<T> x, Span<T> acc) => TensorPrimitives.Min(acc, x, acc);
    public static void Finish(Span<T> acc, long count) { }
    public static bool CanAccumulate => true;
    public static T Empty => T.CreateSaturating(double.PositiveInfinity);
}

internal readonly struct ProdReduce<T> : IReduceOp<T> where T : unmanaged, INumber<T>
{
    public static T Row(ReadOnlySpan<T> x) => TensorPrimitives.Product(x);
    public static void Init(ReadOnlySpan<T> x, Span<T> acc) => x.CopyTo(acc);
    public static void Accumulate(ReadOnlySpan<T> x, Span<T> acc) => TensorPrimitives.Multiply(acc, x, acc);
    public static void Finish(Span<T> acc, long count) { }
    public static bool CanAccumulate => true;
    public static T Empty => T.One;
}

internal readonly struct SumSquareReduce<T> : IReduceOp<T> where T : unmanaged, INumber<T>
{
    public static T Row(ReadOnlySpan<T> x) => TensorPrimitives.SumOfSquares(x);
    public static void Init(ReadOnlySpan<T> x, Span<T> acc) => TensorPrimitives.Multiply(x, x, acc);
    public static void Accumulate(ReadOnlySpan<T> x, Span<T> acc) => TensorPrimitives.MultiplyAdd(x, x, acc, acc);
    public static void Finish(Span<T> acc, long count) { }
    public static bool CanAccumulate => true;
    public static T Empty => T.Zero;
}

internal readonly struct L1Reduce<T> : IReduceOp<T> where T : unmanaged, INumber<T>
{
    public static T Row(ReadOnlySpan<T> x) => TensorPrimitives.SumOfMagnitudes(x);
    public static void Init(ReadOnlySpan<T> x, Span<T> acc) => TensorPrimitives.Abs(x, acc);
    public static void Accumulate(ReadOnlySpan<T> x, Span<T> acc)
    {
        for (int i = 0; i < acc.Length; i++) acc[i] += T.Abs(x[i]);
    }
    public static void Finish(Span<T> acc, long count) { }
    public static bool CanAccumulate => true;
    public static T Empty => T.Zero;
}

internal readonly struct L2Reduce<T> : IReduceOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Row(ReadOnlySpan<T> x) => TensorPrimitives.Norm(x);
    public static void Init(ReadOnlySpan<T> x, Span<T> acc) => TensorPrimitives.Multiply(x, x, acc);
    public static void Accumulate(ReadOnlySpan<T> x, Span<T> acc) => TensorPrimitives.MultiplyAdd(x, x, acc, acc);
    public static void Finish(Span<T> acc, long count) => TensorPrimitives.Sqrt(acc, acc);
    public static bool CanAccumulate => true;
    public static T Empty => T.Zero;
}

/// <summary>log(sum(exp(x))), shifted by the row maximum so large values do not overflow.</summary>
internal readonly struct LogSumExpReduce<T> : IReduceOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Row(ReadOnlySpan<T> x)
    {
        T max = TensorPrimitives.Max(x);
        if (!T.IsFinite(max)) return max;
        Span<T> block = stackalloc T[256];
        T sum = T.Zero;
        for (int i = 0; i < x.Length; i += block.Length)
        {
            int n = Math.Min(block.Length, x.Length - i);
            TensorPrimitives.Subtract(x.Slice(i, n), max, block[..n]);
            TensorPrimitives.Exp(block[..n], block[..n]);
            sum += TensorPrimitives.Sum<T>(block[..n]);
        }
        return max + T.Log(sum);
    }
    public static void Init(ReadOnlySpan<T> x, Span<T> acc) => throw new NotSupportedException();
    public static void Accumulate(ReadOnlySpan<T> x, Span<T> acc) => throw new NotSupportedException();
    public static void Finish(Span<T> acc, long count) => throw new NotSupportedException();
    public static bool CanAccumulate => false;
    public static T Empty => T.NegativeInfinity;
}
