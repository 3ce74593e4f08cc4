using System.Runtime.CompilerServices;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// C (=|+=) A · B for a block of at most <see cref="MaxRows"/> rows of A against a row-major B, with B's columns
/// in vectors: the attention kernel's two products (scores = Q · Kᵀ and context += P · V) on a few query rows at a
/// time, where the packed SGEMM's packing would cost more than the product. Four rows share every B load; two
/// vectors of columns per step, then one, then single columns through <see cref="Float1"/>.
/// </summary>
internal static unsafe class RowBlockProduct
{
    public const int MaxRows = 4;

    /// <summary>C[rows x n] = (or += with <paramref name="accumulate"/>) A[rows x k] · B[k x n], strides in floats.</summary>
    public static void Run(Isa isa, float* a, long lda, float* b, long ldb, float* c, long ldc, int rows, int k, int n, bool accumulate)
    {
        switch (isa)
        {
            case Isa.Avx512: Run<System.Runtime.Intrinsics.Vector512<float>, Float512>(a, lda, b, ldb, c, ldc, rows, k, n, accumulate); break;
            case Isa.Avx2: Run<System.Runtime.Intrinsics.Vector256<float>, Float256>(a, lda, b, ldb, c, ldc, rows, k, n, accumulate); break;
            default: Run<System.Runtime.Intrinsics.Vector128<float>, Float128>(a, lda, b, ldb, c, ldc, rows, k, n, accumulate); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T, TVec>(float* a, long lda, float* b, long ldb, float* c, long ldc, int rows, int k, int n, bool accumulate)
        where T : struct where TVec : struct, IFloatVector<T>
    {
        int w = TVec.Count;
        int r = 0;
        for (; r + MaxRows <= rows; r += MaxRows)
        {
            float* ar = a + r * lda, cr = c + r * ldc;
            int j = 0;
            for (; j + 2 * w <= n; j += 2 * w) FourRowsTwoVectors<T, TVec>(ar, lda, b + j, ldb, cr + j, ldc, k, accumulate);
            for (; j + w <= n; j += w) FourRows<T, TVec>(ar, lda, b + j, ldb, cr + j, ldc, k, accumulate);
            for (; j < n; j++) FourRows<float, Float1>(ar, lda, b + j, ldb, cr + j, ldc, k, accumulate);
        }
        for (; r < rows; r++)
        {
            float* ar = a + r * lda, cr = c + r * ldc;
            int j = 0;
            for (; j + w <= n; j += w) OneRow<T, TVec>(ar, b + j, ldb, cr + j, k, accumulate);
            for (; j < n; j++) OneRow<float, Float1>(ar, b + j, ldb, cr + j, k, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRowsTwoVectors<T, TVec>(float* a, long lda, float* b, long ldb, float* c, long ldc, int k, bool accumulate)
        where T : struct where TVec : struct, IFloatVector<T>
    {
        int w = TVec.Count;
        T c00 = TVec.Zero, c01 = TVec.Zero, c10 = TVec.Zero, c11 = TVec.Zero, c20 = TVec.Zero, c21 = TVec.Zero, c30 = TVec.Zero, c31 = TVec.Zero;
        float* a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        for (int p = 0; p < k; p++)
        {
            float* bp = b + p * ldb;
            T b0 = TVec.Load(bp), b1 = TVec.Load(bp + w);
            T x = TVec.Broadcast(a[p]);
            c00 = TVec.MultiplyAdd(x, b0, c00); c01 = TVec.MultiplyAdd(x, b1, c01);
            x = TVec.Broadcast(a1[p]);
            c10 = TVec.MultiplyAdd(x, b0, c10); c11 = TVec.MultiplyAdd(x, b1, c11);
            x = TVec.Broadcast(a2[p]);
            c20 = TVec.MultiplyAdd(x, b0, c20); c21 = TVec.MultiplyAdd(x, b1, c21);
            x = TVec.Broadcast(a3[p]);
            c30 = TVec.MultiplyAdd(x, b0, c30); c31 = TVec.MultiplyAdd(x, b1, c31);
        }
        Store<T, TVec>(c, c00, accumulate); Store<T, TVec>(c + w, c01, accumulate);
        Store<T, TVec>(c + ldc, c10, accumulate); Store<T, TVec>(c + ldc + w, c11, accumulate);
        Store<T, TVec>(c + 2 * ldc, c20, accumulate); Store<T, TVec>(c + 2 * ldc + w, c21, accumulate);
        Store<T, TVec>(c + 3 * ldc, c30, accumulate); Store<T, TVec>(c + 3 * ldc + w, c31, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FourRows<T, TVec>(float* a, long lda, float* b, long ldb, float* c, long ldc, int k, bool accumulate)
        where T : struct where TVec : struct, IFloatVector<T>
    {
        T c0 = TVec.Zero, c1 = TVec.Zero, c2 = TVec.Zero, c3 = TVec.Zero;
        float* a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        for (int p = 0; p < k; p++)
        {
            T bv = TVec.Load(b + p * ldb);
            c0 = TVec.MultiplyAdd(TVec.Broadcast(a[p]), bv, c0);
            c1 = TVec.MultiplyAdd(TVec.Broadcast(a1[p]), bv, c1);
            c2 = TVec.MultiplyAdd(TVec.Broadcast(a2[p]), bv, c2);
            c3 = TVec.MultiplyAdd(TVec.Broadcast(a3[p]), bv, c3);
        }
        Store<T, TVec>(c, c0, accumulate);
        Store<T, TVec>(c + ldc, c1, accumulate);
        Store<T, TVec>(c + 2 * ldc, c2, accumulate);
        Store<T, TVec>(c + 3 * ldc, c3, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OneRow<T, TVec>(float* a, float* b, long ldb, float* c, int k, bool accumulate)
        where T : struct where TVec : struct, IFloatVector<T>
    {
        // Two chains so the FMA latency is not the limit on a single row.
        T even = TVec.Zero, odd = TVec.Zero;
        int p = 0;
        for (; p + 1 < k; p += 2)
        {
            even = TVec.MultiplyAdd(TVec.Broadcast(a[p]), TVec.Load(b + p * ldb), even);
            odd = TVec.MultiplyAdd(TVec.Broadcast(a[p + 1]), TVec.Load(b + (p + 1) * ldb), odd);
        }
        if (p < k) even = TVec.MultiplyAdd(TVec.Broadcast(a[p]), TVec.Load(b + p * ldb), even);
        Store<T, TVec>(c, TVec.Add(even, odd), accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T, TVec>(float* c, T value, bool accumulate) where T : struct where TVec : struct, IFloatVector<T>
        => TVec.Store(accumulate ? TVec.Add(TVec.Load(c), value) : value, c);
}
