namespace Atc.Runtime.Operators.Elementwise.Binary;

/// <summary>
/// An element-wise binary function over runs: both operands vectors, or one of them a single repeated element
/// (the broadcast case). Implementations are stateless structs so the kernel's loop is specialised per op.
/// </summary>
internal interface IBinaryOp<T, TOut> where T : unmanaged where TOut : unmanaged
{
    static abstract void VecVec(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<TOut> destination);
    static abstract void VecScalar(ReadOnlySpan<T> a, T b, Span<TOut> destination);
    static abstract void ScalarVec(T a, ReadOnlySpan<T> b, Span<TOut> destination);
}

/// <summary>A binary function on one pair of elements, for ops that vector libraries do not offer.</summary>
internal interface IScalarBinaryOp<T, TOut>
{
    static abstract TOut Apply(T a, T b);
}

/// <summary>Runs an <see cref="IScalarBinaryOp{T,TOut}"/> element by element.</summary>
internal readonly struct ScalarLoop<TOp, T, TOut> : IBinaryOp<T, TOut>
    where TOp : IScalarBinaryOp<T, TOut> where T : unmanaged where TOut : unmanaged
{
    public static void VecVec(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<TOut> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = TOp.Apply(a[i], b[i]);
    }

    public static void VecScalar(ReadOnlySpan<T> a, T b, Span<TOut> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = TOp.Apply(a[i], b);
    }

    public static void ScalarVec(T a, ReadOnlySpan<T> b, Span<TOut> destination)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] = TOp.Apply(a, b[i]);
    }
}
