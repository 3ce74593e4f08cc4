using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading;

namespace Atc.Runtime.MicroKernels;

/// <summary>Instruction sets the hand-written kernels are specialised for, best last.</summary>
internal enum Isa
{
    /// <summary>Vector128 code that runs anywhere (and exercises the same data layouts).</summary>
    Portable = 0,
    /// <summary>x64 AVX2 + FMA, 256-bit vectors.</summary>
    Avx2 = 1,
    /// <summary>x64 AVX-512F, 512-bit vectors.</summary>
    Avx512 = 2,
}

/// <summary>Picks the kernel instruction set. Kernels read <see cref="Current"/> once, in CreateKernel.</summary>
internal static class KernelIsa
{
    public static readonly Isa Best =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Fma.IsSupported ? Isa.Avx512
        : Avx2.IsSupported && Fma.IsSupported ? Isa.Avx2
        : Isa.Portable;

    // Per async flow, not process-wide: a test that lowers the ISA must not change the kernels another test, running
    // in parallel, creates at the same moment (that made bitwise comparisons flaky).
    private static readonly AsyncLocal<Isa?> s_override = new();

    /// <summary>Tests lower this to compare a slower path with the best one (never raised above <see cref="Best"/>).
    /// It applies to kernels created on the current thread/async flow only.</summary>
    internal static Isa? Override
    {
        get => s_override.Value;
        set => s_override.Value = value;
    }

    public static Isa Current => Override is { } o && o < Best ? o : Best;
}
