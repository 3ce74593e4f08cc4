using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Which lanes of a vector a load or store touches: all of them, or (where the ISA has masked memory access) the
/// first few, so the matrix's last columns are written without a staging tile and never past a row's end.
/// Implementations are structs passed as type arguments: the JIT compiles each to its plain instruction.
/// </summary>
internal unsafe interface IVectorLanes<TVec> where TVec : struct
{
    TVec Load(float* p);
    void Store(TVec v, float* p);
}

/// <summary>Every lane: a plain load and store.</summary>
internal readonly unsafe struct AllLanes<TOps, TVec> : IVectorLanes<TVec>
    where TOps : struct, IFloatVector<TVec> where TVec : struct
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public TVec Load(float* p) => TOps.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(TVec v, float* p) => TOps.Store(v, p);
}

/// <summary>The first lanes of a 512-bit vector (AVX-512 masked access: lanes past the mask are neither read nor written).</summary>
internal readonly unsafe struct MaskedLanes512 : IVectorLanes<Vector512<float>>
{
    private readonly Vector512<float> _mask;

    /// <summary>Lanes below <paramref name="valid"/> (none when it is 0 or less).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public MaskedLanes512(int valid) => _mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(valid)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Load(float* p) => Avx512F.MaskLoad(p, _mask, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector512<float> v, float* p) => Avx512F.MaskStore(p, _mask, v);
}
