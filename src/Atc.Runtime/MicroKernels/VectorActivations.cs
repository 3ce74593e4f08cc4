using System.Runtime.Intrinsics;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Elementwise.Unary;

namespace Atc.Runtime.MicroKernels;

/// <summary>
/// The mapped activations as float maps on this project's own vector math (<see cref="ActivationMath{TOps, TVec}"/>),
/// one per instruction set, built once: what the GEMM driver, GEMV and depthwise kernels run on each finished block,
/// and what the standalone ops run (at <see cref="KernelIsa.Best"/>), so a fused and an unfused graph compute alike.
/// </summary>
internal static unsafe class VectorActivations
{
    private static readonly Dictionary<(string Name, Isa Isa), FloatMap> Maps = Build();

    /// <summary>The map of an epilogue activation name ("Gelu", "GeluTanh", "Silu", "HardSwish", "Mish") for
    /// <paramref name="isa"/>; null for any other name.</summary>
    public static FloatMap? For(string name, Isa isa) => Maps.GetValueOrDefault((name, isa));

    private static Dictionary<(string, Isa), FloatMap> Build()
    {
        var maps = new Dictionary<(string, Isa), FloatMap>();
        void Add<TFunction>(string name) where TFunction : struct, IActivationFunction
        {
            maps[(name, Isa.Avx512)] = Run<TFunction, ActivationVector512, Vector512<float>>;
            maps[(name, Isa.Avx2)] = Run<TFunction, ActivationVector256, Vector256<float>>;
            maps[(name, Isa.Portable)] = Run<TFunction, ActivationVector128, Vector128<float>>;
        }
        Add<GeluFunction>(OpTypes.Gelu);
        Add<GeluTanhFunction>(FusedActivations.GeluTanhName);
        Add<SiluFunction>(OpTypes.Silu);
        Add<HardSwishFunction>(OpTypes.HardSwish);
        Add<MishFunction>(OpTypes.Mish);
        return maps;
    }

    private static void Run<TFunction, TOps, TVec>(ReadOnlySpan<float> x, Span<float> y)
        where TFunction : struct, IActivationFunction where TOps : struct, IActivationVector<TVec> where TVec : struct
    {
        fixed (float* px = x, py = y) ActivationMath<TOps, TVec>.Run<TFunction>(px, py, y.Length);
    }
}
