using System.Runtime.CompilerServices;

namespace Atc.Runtime.MicroKernels;

/// <summary>How a GEMM reads A: fills the micro-kernel's row pointers for rows [m, m+count) and one K block.</summary>
internal unsafe interface IRowSource
{
    /// <summary>Fills rows[tap*rowTile + r] (r below rowTile; rows past count repeat row m) and says how the block
    /// splits into taps.</summary>
    void Rows(int m, int count, int k0, int kc, int rowTile, float** rows, out int taps, out int kPerTap, out nint offset);
}

/// <summary>How a GEMM gets a packed B block for K rows [k0, k0+kc) and columns [n0, n1).</summary>
internal unsafe interface IPanelSource
{
    /// <summary>Returns the packed block: pre-packed data, or <paramref name="slot"/> after packing into it.</summary>
    float* Block(int k0, int kc, int n0, int n1, float* slot);
}

/// <summary>A row-major A [M, K] with row stride lda.</summary>
internal unsafe struct DenseRows(float* a, nint lda) : IRowSource
{
    private readonly float* _a = a;
    private readonly nint _lda = lda;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Rows(int m, int count, int k0, int kc, int rowTile, float** rows, out int taps, out int kPerTap, out nint offset)
    {
        float* first = _a + m * _lda;
        for (int r = 0; r < rowTile; r++) rows[r] = r < count ? first + r * _lda : first;
        taps = 1;
        kPerTap = kc;
        offset = k0;
    }
}

/// <summary>B packed once ahead of time (constant weights) in <see cref="GemmLayout"/>'s layout.</summary>
internal unsafe readonly struct PrePackedPanels(float* data, int paddedColumns) : IPanelSource
{
    private readonly float* _data = data;
    private readonly int _paddedColumns = paddedColumns;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float* Block(int k0, int kc, int n0, int n1, float* slot)
        => _data + GemmLayout.PanelOffset(k0, kc, _paddedColumns, n0);
}

/// <summary>A row-major B [K, N] (row stride ldb) packed on the fly, each value times <c>scale</c>.</summary>
internal unsafe readonly struct RowMajorPanels(float* b, nint ldb, int n, float scale) : IPanelSource
{
    private readonly float* _b = b;
    private readonly nint _ldb = ldb;
    private readonly int _n = n;
    private readonly float _scale = scale;

    public float* Block(int k0, int kc, int n0, int n1, float* slot)
    {
        PanelPacking.PackRowMajor(_b + k0 * _ldb, _ldb, kc, n0, n1, _n, _scale, slot);
        return slot;
    }
}

/// <summary>B given transposed, as Bt [N, K] (row stride ldb), packed on the fly, each value times <c>scale</c>.</summary>
internal unsafe readonly struct TransposedPanels(float* bt, nint ldb, int n, float scale) : IPanelSource
{
    private readonly float* _bt = bt;
    private readonly nint _ldb = ldb;
    private readonly int _n = n;
    private readonly float _scale = scale;

    public float* Block(int k0, int kc, int n0, int n1, float* slot)
    {
        PanelPacking.PackTransposed(_bt + k0, _ldb, kc, n0, n1, _n, _scale, slot);
        return slot;
    }
}
