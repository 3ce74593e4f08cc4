using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;
using Atc.Runtime.Operators.Common;

namespace Atc.Runtime.Operators.Elementwise.Unary;

/// <summary>
/// The activations the compiler recognises in PyTorch's decomposed forms (GELU, SiLU, HardSwish, Mish), as float maps
/// that may run in place. The same maps serve the standalone ops and the epilogue of a Conv, Gemm or MatMul whose
/// "activation" attribute names them (<see cref="ByEpilogueName"/>), so a fused and an unfused graph compute alike.
/// </summary>
internal static class FusedActivations
{
    /// <summary>Epilogue names: the op type, and "GeluTanh" for Gelu with approximate="tanh".</summary>
    public const string GeluTanhName = "GeluTanh";

    private const float InverseSqrt2 = 0.70710678118654752f;
    private const float SqrtTwoOverPi = 0.79788456080286536f;
    private const float TanhCubic = 0.044715f;

    public static IEnumerable<OperatorEntry> Entries() =>
    [
        new(OpTypes.Gelu, static t => new UnaryOperator(t, Common.Numeric.Float, (c, x) => new FloatMapKernel(x.ElementCount, GeluFor(c.Attributes)))),
        new(OpTypes.Silu, static t => new UnaryOperator(t, Common.Numeric.Float, (_, x) => new FloatMapKernel(x.ElementCount, Silu))),
        new(OpTypes.Mish, static t => new UnaryOperator(t, Common.Numeric.Float, (_, x) => new FloatMapKernel(x.ElementCount, Mish))),
    ];

    /// <summary>The map for a non-clamp epilogue activation; null for "", Relu and Clip (clamps in the GEMM tile).</summary>
    public static FloatMap? ByEpilogueName(string name) => name switch
    {
        OpTypes.Gelu => Gelu,
        GeluTanhName => GeluTanh,
        OpTypes.Silu => Silu,
        OpTypes.HardSwish => HardSwish,
        OpTypes.Mish => Mish,
        _ => null,
    };

    /// <summary>The epilogue names with a map, for error messages.</summary>
    public static readonly string[] EpilogueNames = [OpTypes.Gelu, GeluTanhName, OpTypes.Silu, OpTypes.HardSwish, OpTypes.Mish];

    private static FloatMap GeluFor(OpAttributes attributes)
    {
        string approximate = attributes.GetString("approximate", "none");
        return approximate switch
        {
            "none" => Gelu,
            "tanh" => GeluTanh,
            _ => throw new ShapeException($"{OpTypes.Gelu}: approximate '{approximate}' is not supported; use \"none\" or \"tanh\""),
        };
    }

    // The maps run this project's fused vector math at the best ISA (VectorActivations: one pass per block, exp in
    // float), the same functions the Conv/Gemm/MatMul epilogues run per block.

    /// <summary>x · (1 + erf(x / √2)) / 2.</summary>
    public static readonly FloatMap Gelu = VectorActivations.For(OpTypes.Gelu, KernelIsa.Best)!;

    /// <summary>x · (1 + tanh(√(2/π) · (x + 0.044715 x³))) / 2.</summary>
    public static readonly FloatMap GeluTanh = VectorActivations.For(GeluTanhName, KernelIsa.Best)!;

    /// <summary>x · sigmoid(x).</summary>
    public static readonly FloatMap Silu = VectorActivations.For(OpTypes.Silu, KernelIsa.Best)!;

    /// <summary>x · clamp(x / 6 + 1/2, 0, 1) (HardSigmoid with PyTorch's alpha 1/6, beta 1/2, times x).</summary>
    public static readonly FloatMap HardSwish = VectorActivations.For(OpTypes.HardSwish, KernelIsa.Best)!;

    /// <summary>x · tanh(softplus(x)).</summary>
    public static readonly FloatMap Mish = VectorActivations.For(OpTypes.Mish, KernelIsa.Best)!;
}
