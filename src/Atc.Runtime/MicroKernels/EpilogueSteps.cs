using System.Runtime.CompilerServices;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// The GEMM epilogue's steps, written once for every vector width (and for one float, <see cref="Float1"/>): row
/// bias, column bias, residual, clamp, in that order, so a result does not depend on which kernel or lane width
/// wrote it. The epilogue's fields are copied into this struct (locals once inlined) because stores to the output
/// could alias them as far as the JIT knows.
/// </summary>
internal readonly unsafe struct EpilogueSteps<TOps, TVec> where TOps : struct, IFloatVector<TVec> where TVec : struct
{
    private readonly float* _rowBias;
    private readonly float* _columnBias;
    private readonly float* _residual;
    private readonly nint _residualStride;
    private readonly bool _clamp;
    private readonly TVec _min, _max;

    /// <summary>Steps for a tile whose first column is <paramref name="column"/> of the epilogue's origin.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EpilogueSteps(in GemmEpilogue e, int column)
    {
        _rowBias = e.RowBias;
        _columnBias = e.ColumnBias != null ? e.ColumnBias + column : null;
        _residual = e.Residual != null ? e.Residual + column : null;
        _residualStride = e.ResidualStride;
        _clamp = e.Clamp;
        _min = TOps.Broadcast(e.Min);
        _max = TOps.Broadcast(e.Max);
    }

    /// <summary>Applies every step to <paramref name="v"/>, the value at (row, column) of the tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVec Apply<TLanes>(TVec v, int row, nint column, in TLanes lanes) where TLanes : struct, IVectorLanes<TVec>
    {
        if (_rowBias != null) v = TOps.Add(v, TOps.Broadcast(_rowBias[row]));
        if (_columnBias != null) v = TOps.Add(v, lanes.Load(_columnBias + column));
        if (_residual != null) v = TOps.Add(v, lanes.Load(_residual + row * _residualStride + column));
        if (_clamp) v = TOps.Clamp(v, _min, _max);
        return v;
    }
}
