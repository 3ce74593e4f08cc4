namespace Atc.Runtime.MicroKernels;

/// <summary>
/// One call of a GEMM micro-kernel: up to <see cref="GemmLayout.RowTile"/> rows of C, a run of packed B panels,
/// one K block. A is read through row pointers, [Taps][RowTile]: tap t of row r covers K indices
/// [t*KPerTap, (t+1)*KPerTap) of the block at Rows[t*RowTile + r] + AOffset. A plain matrix has one tap; an
/// NHWC convolution has one tap per kernel position (indirect GEMM, no im2col copy).
/// </summary>
internal unsafe struct MicroTile
{
    public float** Rows;
    public nint AOffset;
    public int Taps;
    public int KPerTap;
    /// <summary>First packed panel of the K block; the next panel starts 32*Kc floats later.</summary>
    public float* B;
    public int Kc;
    /// <summary>Valid columns from the first panel on.</summary>
    public int Columns;
    /// <summary>Packed columns from the first panel on (multiple of 16, at least <see cref="Columns"/>).</summary>
    public int PaddedColumns;
    public float* C;
    public nint Ldc;
    /// <summary>Valid rows; row pointers past it repeat row 0 and their results are dropped.</summary>
    public int RowCount;
    /// <summary>Add to C (a later K block, or a pre-filled C) instead of overwriting it.</summary>
    public bool Accumulate;
    /// <summary>This is the last K block: apply the epilogue.</summary>
    public bool Final;
    public GemmEpilogue Epilogue;
}

/// <summary>A fixed row count for a micro-kernel instantiation; the JIT folds the checks on it.</summary>
internal interface IRowCount
{
    static abstract int Value { get; }
}

internal struct Rows2 : IRowCount { public static int Value => 2; }
internal struct Rows4 : IRowCount { public static int Value => 4; }
internal struct Rows6 : IRowCount { public static int Value => 6; }
internal struct Rows8 : IRowCount { public static int Value => 8; }
internal struct Rows12 : IRowCount { public static int Value => 12; }
