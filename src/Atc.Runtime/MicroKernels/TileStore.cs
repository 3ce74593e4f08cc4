using System.Runtime.CompilerServices;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Writes a micro-kernel's accumulators to C, for every vector width and for single floats (<see cref="Float1"/>):
/// accumulate onto C (a later K block or a pre-filled C), then on the last K block the epilogue
/// (<see cref="EpilogueSteps{TOps, TVec}"/>), then store. Which lanes are touched is a type argument
/// (<see cref="AllLanes{TOps, TVec}"/>, or <see cref="MaskedLanes512"/> at the matrix's last columns). The tile's
/// fields are read once into locals (stores to C could alias them as far as the JIT knows).
/// </summary>
internal unsafe ref struct TileStore<TOps, TVec> where TOps : struct, IFloatVector<TVec> where TVec : struct
{
    private readonly float* _c;
    private readonly nint _ldc;
    private readonly bool _accumulate;
    private readonly bool _final;
    private readonly EpilogueSteps<TOps, TVec> _steps;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TileStore(ref MicroTile t, int col)
    {
        _c = t.C + col;
        _ldc = t.Ldc;
        _accumulate = t.Accumulate;
        _final = t.Final;
        _steps = new EpilogueSteps<TOps, TVec>(t.Epilogue, col);
    }

    /// <summary>Row r: two whole vectors, the second one vector after the first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Row2(int r, TVec v0, TVec v1) => Row2(r, v0, v1, default(AllLanes<TOps, TVec>), default(AllLanes<TOps, TVec>));

    /// <summary>Row r: two vectors, each with its own lanes; both are finished before either is stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Row2<TLanes>(int r, TVec v0, TVec v1, in TLanes lanes0, in TLanes lanes1) where TLanes : struct, IVectorLanes<TVec>
    {
        float* c = _c + r * _ldc;
        v0 = Finish(c, r, 0, v0, lanes0);
        v1 = Finish(c, r, TOps.Count, v1, lanes1);
        lanes0.Store(v0, c);
        lanes1.Store(v1, c + TOps.Count);
    }

    /// <summary>One vector (or float) at column <paramref name="j"/> of row r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Store<TLanes>(int r, nint j, TVec v, in TLanes lanes) where TLanes : struct, IVectorLanes<TVec>
    {
        float* c = _c + r * _ldc + j;
        lanes.Store(Finish(c - j, r, j, v, lanes), c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly TVec Finish<TLanes>(float* c, int r, nint j, TVec v, in TLanes lanes) where TLanes : struct, IVectorLanes<TVec>
    {
        if (_accumulate) v = TOps.Add(v, lanes.Load(c + j));
        if (_final) v = _steps.Apply(v, r, j, lanes);
        return v;
    }
}
