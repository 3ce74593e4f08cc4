namespace Atc.Runtime.MicroKernels;

/// <summary>
/// What a GEMM adds to its result when it writes the last K block: a bias per row (NCHW conv: per output channel),
/// a bias per column (NHWC conv, Gemm's C), a residual tensor laid out like the output, then a clamp (Relu, Clip).
/// Pointers are offset to the first element of the tile being written.
/// </summary>
internal unsafe struct GemmEpilogue
{
    public float* RowBias;
    public float* ColumnBias;
    public float* Residual;
    public nint ResidualStride;
    public float Min;
    public float Max;
    public bool Clamp;

    public static GemmEpilogue None => new() { Min = float.NegativeInfinity, Max = float.PositiveInfinity };

    public static GemmEpilogue Create(Activation activation) => new()
    {
        Min = activation.Min,
        Max = activation.Max,
        Clamp = activation.IsClamp,
    };

    public readonly GemmEpilogue At(int row, int column)
    {
        var e = this;
        if (e.RowBias != null) e.RowBias += row;
        if (e.ColumnBias != null) e.ColumnBias += column;
        if (e.Residual != null) e.Residual += row * ResidualStride + column;
        return e;
    }

    /// <summary>Scalar form of the epilogue for element (row, column) of the tile.</summary>
    public readonly float Apply(float v, int row, int column)
        => new EpilogueSteps<Float1, float>(this, 0).Apply(v, row, column, default(AllLanes<Float1, float>));
}

/// <summary>A fused activation: none, Relu, or Clip(min, max), applied as a clamp.</summary>
internal readonly record struct Activation(float Min, float Max)
{
    public static readonly Activation None = new(float.NegativeInfinity, float.PositiveInfinity);
    public bool IsClamp => !float.IsNegativeInfinity(Min) || !float.IsPositiveInfinity(Max);
    public float Apply(float v) => IsClamp ? MathF.Min(MathF.Max(v, Min), Max) : v;
}
