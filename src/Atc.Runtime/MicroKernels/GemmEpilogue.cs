using Atc.Runtime.Operators.Elementwise.Unary;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// What a GEMM adds to its result when it writes the last K block: a bias per row (NCHW conv: per output channel),
/// a bias per column (NHWC conv, Gemm's C), a residual tensor laid out like the output, then a clamp (Relu, Clip),
/// then a mapped activation (SiLU, GELU, ...: <see cref="Map"/>), which the driver runs over each row tile right after
/// its final store, while the tile is still in L1.
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
    /// <summary>A non-clamp activation run in place over each finished block (null: none).</summary>
    public FloatMap? Map;

    public static GemmEpilogue None => new() { Min = float.NegativeInfinity, Max = float.PositiveInfinity };

    public static GemmEpilogue Create(Activation activation) => new()
    {
        Min = activation.Min,
        Max = activation.Max,
        Clamp = activation.IsClamp,
        Map = activation.Map,
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

/// <summary>A fused activation: none, Relu, or Clip(min, max), applied as a clamp; or a mapped activation
/// (<see cref="Map"/>: GELU, SiLU, ...), which clamps nothing and is applied by the kernels that take it
/// (<see cref="Operators.NeuralNet.IMappedActivationKernel"/>).</summary>
internal readonly record struct Activation(float Min, float Max)
{
    /// <summary>The mapped activation, run after the clamp; null for none, Relu and Clip.</summary>
    public FloatMap? Map { get; init; }

    public static readonly Activation None = new(float.NegativeInfinity, float.PositiveInfinity);
    public bool IsClamp => !float.IsNegativeInfinity(Min) || !float.IsPositiveInfinity(Max);
    public float Apply(float v) => IsClamp ? MathF.Min(MathF.Max(v, Min), Max) : v;
}
