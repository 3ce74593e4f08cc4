using System.Runtime.CompilerServices;

namespace Atc.Runtime.Kernels;

/// <summary>
/// Writes whole two-vector rows of a micro-kernel's accumulators straight to C: accumulate, then the epilogue in the
/// same order as <see cref="TileWriter"/> and <see cref="GemmEpilogue.Apply"/>, so results do not depend on which
/// path wrote an element. The tile's fields are read once into locals (stores to C could alias them as far as the
/// JIT knows). The AVX-512 kernel has its own, masked form (<see cref="TileStore512"/>).
/// </summary>
internal unsafe ref struct TileStore<TOps, TVec> where TOps : struct, IFloatVector<TVec> where TVec : struct
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
    private readonly TVec _min, _max;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TileStore(ref MicroTile t, int col)
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
        _min = TOps.Broadcast(e.Min);
        _max = TOps.Broadcast(e.Max);
    }

    /// <summary>Row r: two vectors, the second <paramref name="n"/> floats after the first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Row2(int r, TVec v0, TVec v1, int n)
    {
        float* c = _c + r * _ldc;
        if (_accumulate)
        {
            v0 = TOps.Add(v0, TOps.Load(c));
            v1 = TOps.Add(v1, TOps.Load(c + n));
        }
        if (_final)
        {
            if (_rowBias != null)
            {
                var bias = TOps.Broadcast(_rowBias[r]);
                v0 = TOps.Add(v0, bias);
                v1 = TOps.Add(v1, bias);
            }
            if (_columnBias != null)
            {
                v0 = TOps.Add(v0, TOps.Load(_columnBias));
                v1 = TOps.Add(v1, TOps.Load(_columnBias + n));
            }
            if (_residual != null)
            {
                float* res = _residual + r * _residualStride;
                v0 = TOps.Add(v0, TOps.Load(res));
                v1 = TOps.Add(v1, TOps.Load(res + n));
            }
            if (_clamp)
            {
                v0 = TOps.Clamp(v0, _min, _max);
                v1 = TOps.Clamp(v1, _min, _max);
            }
        }
        TOps.Store(v0, c);
        TOps.Store(v1, c + n);
    }
}
