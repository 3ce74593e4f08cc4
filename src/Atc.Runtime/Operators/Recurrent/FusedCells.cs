using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.Recurrent;

/// <summary>
/// Runs <see cref="FusedGates{TOps, TVec}"/> over a hidden state of any size for one batch entry: whole vectors of
/// the kernel's ISA, then the last elements one at a time with the same code. Pointers are the entry's rows.
/// </summary>
internal static unsafe class FusedCells
{
    public static void Lstm(Isa isa, float* products, float* projection, float* c, float* h, float* y, int n, float clip)
    {
        switch (isa)
        {
            case Isa.Avx512: Lstm<ActivationVector512, Vector512<float>>(products, projection, c, h, y, n, clip); break;
            case Isa.Avx2: Lstm<ActivationVector256, Vector256<float>>(products, projection, c, h, y, n, clip); break;
            default: Lstm<ActivationVector128, Vector128<float>>(products, projection, c, h, y, n, clip); break;
        }
    }

    public static void GruUpdateAndReset(Isa isa, float* products, float* projection, float* h, float* resetHidden, int n, float clip)
    {
        switch (isa)
        {
            case Isa.Avx512: GruUpdateAndReset<ActivationVector512, Vector512<float>>(products, projection, h, resetHidden, n, clip); break;
            case Isa.Avx2: GruUpdateAndReset<ActivationVector256, Vector256<float>>(products, projection, h, resetHidden, n, clip); break;
            default: GruUpdateAndReset<ActivationVector128, Vector128<float>>(products, projection, h, resetHidden, n, clip); break;
        }
    }

    public static void GruFinish(Isa isa, float* products, float* projection, float* h, float* y, int n, float clip, bool linearBeforeReset)
    {
        switch (isa)
        {
            case Isa.Avx512: GruFinish<ActivationVector512, Vector512<float>>(products, projection, h, y, n, clip, linearBeforeReset); break;
            case Isa.Avx2: GruFinish<ActivationVector256, Vector256<float>>(products, projection, h, y, n, clip, linearBeforeReset); break;
            default: GruFinish<ActivationVector128, Vector128<float>>(products, projection, h, y, n, clip, linearBeforeReset); break;
        }
    }

    public static void Rnn(Isa isa, float* products, float* projection, float* h, float* y, int n, float clip)
    {
        switch (isa)
        {
            case Isa.Avx512: Rnn<ActivationVector512, Vector512<float>>(products, projection, h, y, n, clip); break;
            case Isa.Avx2: Rnn<ActivationVector256, Vector256<float>>(products, projection, h, y, n, clip); break;
            default: Rnn<ActivationVector128, Vector128<float>>(products, projection, h, y, n, clip); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Lstm<TOps, TVec>(float* products, float* projection, float* c, float* h, float* y, int n, float clip)
        where TOps : struct, IActivationVector<TVec> where TVec : struct
    {
        nint j = 0;
        for (; j + TOps.Count <= n; j += TOps.Count) FusedGates<TOps, TVec>.Lstm(products, projection, c, h, y, n, j, clip);
        for (; j < n; j++) FusedGates<ActivationVector1, float>.Lstm(products, projection, c, h, y, n, j, clip);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GruUpdateAndReset<TOps, TVec>(float* products, float* projection, float* h, float* resetHidden, int n, float clip)
        where TOps : struct, IActivationVector<TVec> where TVec : struct
    {
        nint j = 0;
        for (; j + TOps.Count <= n; j += TOps.Count) FusedGates<TOps, TVec>.GruUpdateAndReset(products, projection, h, resetHidden, n, j, clip);
        for (; j < n; j++) FusedGates<ActivationVector1, float>.GruUpdateAndReset(products, projection, h, resetHidden, n, j, clip);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GruFinish<TOps, TVec>(float* products, float* projection, float* h, float* y, int n, float clip, bool linearBeforeReset)
        where TOps : struct, IActivationVector<TVec> where TVec : struct
    {
        nint j = 0;
        for (; j + TOps.Count <= n; j += TOps.Count) FusedGates<TOps, TVec>.GruFinish(products, projection, h, y, n, j, clip, linearBeforeReset);
        for (; j < n; j++) FusedGates<ActivationVector1, float>.GruFinish(products, projection, h, y, n, j, clip, linearBeforeReset);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rnn<TOps, TVec>(float* products, float* projection, float* h, float* y, int n, float clip)
        where TOps : struct, IActivationVector<TVec> where TVec : struct
    {
        nint j = 0;
        for (; j + TOps.Count <= n; j += TOps.Count) FusedGates<TOps, TVec>.Rnn(products, projection, h, y, j, clip);
        for (; j < n; j++) FusedGates<ActivationVector1, float>.Rnn(products, projection, h, y, j, clip);
    }
}
