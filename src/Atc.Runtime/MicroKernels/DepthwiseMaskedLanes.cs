using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// The first lanes of a 256-bit vector (AVX vmaskmovps: lanes past the mask are neither read nor written), so the
/// depthwise kernels' last channels (40 = 32 + 8, 43 = 40 + 3) run as one partial vector instead of a scalar loop.
/// </summary>
internal readonly unsafe struct MaskedLanes256 : IVectorLanes<Vector256<float>>
{
    private readonly Vector256<float> _mask;

    /// <summary>Lanes below <paramref name="valid"/> (none when it is 0 or less).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public MaskedLanes256(int valid) => _mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(valid)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Load(float* p) => Avx.MaskLoad(p, _mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector256<float> v, float* p) => Avx.MaskStore(p, _mask, v);
}
