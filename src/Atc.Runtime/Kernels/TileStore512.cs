using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.Kernels;

/// <summary>
/// Writes rows of an AVX-512 accumulator tile (16 or 32 columns, masked at the matrix's last columns) straight to C: accumulate, then the epilogue
/// (row bias, column bias, residual, clamp) in the same order as <see cref="TileWriter"/> and
/// <see cref="GemmEpilogue.Apply"/>, so results do not depend on which path wrote an element. The tile's fields are
/// read once into locals (stores to C could alias them as far as the JIT knows).
/// </summary>
internal unsafe ref struct TileStore512
{
    private readonly float* _c;
    private readonly nint _ldc;
    private readonly bool _accumulate;
    private readonly bool _final;
    private readonly float* _rowBias;
    private readonly float* _columnBias;
    private readonly float* _residual;
    private readonly nint _residualStride;
    private readonly bool _clamp;
    private readonly Vector512<float> _min, _max;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TileStore512(ref MicroTile t, int col)
    {
        _c = t.C + col;
        _ldc = t.Ldc;
        _accumulate = t.Accumulate;
        _final = t.Final;
        ref readonly GemmEpilogue e = ref t.Epilogue;
        _rowBias = _final ? e.RowBias : null;
        _columnBias = _final && e.ColumnBias != null ? e.ColumnBias + col : null;
        _residual = _final && e.Residual != null ? e.Residual + col : null;
        _residualStride = e.ResidualStride;
        _clamp = _final && e.Clamp;
        _min = Vector512.Create(e.Min);
        _max = Vector512.Create(e.Max);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Row2(int r, Vector512<float> v0, Vector512<float> v1)
    {
        float* c = _c + r * _ldc;
        if (_accumulate)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
        }
        if (_final)
        {
            if (_rowBias != null)
            {
                var bias = Vector512.Create(_rowBias[r]);
                v0 += bias;
                v1 += bias;
            }
            if (_columnBias != null)
            {
                v0 += Vector512.Load(_columnBias);
                v1 += Vector512.Load(_columnBias + 16);
            }
            if (_residual != null)
            {
                float* res = _residual + r * _residualStride;
                v0 += Vector512.Load(res);
                v1 += Vector512.Load(res + 16);
            }
            if (_clamp)
            {
                v0 = Vector512.MinNative(Vector512.MaxNative(v0, _min), _max);
                v1 = Vector512.MinNative(Vector512.MaxNative(v1, _min), _max);
            }
        }
        v0.Store(c);
        v1.Store(c + 16);
    }

    /// <summary>Lanes below <paramref name="valid"/> set (none when it is 0 or less).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Mask(int valid)
        => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(valid)).AsSingle();

    /// <summary>Two vectors of a row, each masked (lanes past the mask are neither read nor written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Row2Masked(int r, Vector512<float> v0, Vector512<float> v1, Vector512<float> m0, Vector512<float> m1)
    {
        Row1(r, v0, m0);
        float* c = _c + r * _ldc + 16;
        var zero = Vector512<float>.Zero;
        if (_accumulate) v1 += Avx512F.MaskLoad(c, m1, zero);
        if (_final)
        {
            if (_rowBias != null) v1 += Vector512.Create(_rowBias[r]);
            if (_columnBias != null) v1 += Avx512F.MaskLoad(_columnBias + 16, m1, zero);
            if (_residual != null) v1 += Avx512F.MaskLoad(_residual + r * _residualStride + 16, m1, zero);
            if (_clamp) v1 = Vector512.MinNative(Vector512.MaxNative(v1, _min), _max);
        }
        Avx512F.MaskStore(c, m1, v1);
    }

    /// <summary>One masked vector of a row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Row1(int r, Vector512<float> v, Vector512<float> m)
    {
        float* c = _c + r * _ldc;
        var zero = Vector512<float>.Zero;
        if (_accumulate) v += Avx512F.MaskLoad(c, m, zero);
        if (_final)
        {
            if (_rowBias != null) v += Vector512.Create(_rowBias[r]);
            if (_columnBias != null) v += Avx512F.MaskLoad(_columnBias, m, zero);
            if (_residual != null) v += Avx512F.MaskLoad(_residual + r * _residualStride, m, zero);
            if (_clamp) v = Vector512.MinNative(Vector512.MaxNative(v, _min), _max);
        }
        Avx512F.MaskStore(c, m, v);
    }
}
