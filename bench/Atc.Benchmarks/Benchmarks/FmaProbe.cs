using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Benchmarks.Benchmarks;

/// <summary>
/// The machine's FP32 FMA ceiling as C# reaches it: ten independent multiply-add chains (enough to cover the FMA
/// latency on two pipes) per thread, registers only, on Vector256 (AVX2+FMA) and, where the CPU has AVX-512, on
/// Vector512 too. Run with 1 and 2 threads in the same session as the model benchmarks, it shows whether the second
/// core was there: 2 threads should give twice the GFLOP/s.
/// </summary>
public static class FmaProbe
{
    public const int Chains = 10;
    public const long IterationsPerThread = 1L << 23;
    /// <summary>Chains × lanes × 2 flops (multiply and add) per iteration.</summary>
    public static double FlopsPerThread(int widthBits) => IterationsPerThread * Chains * (widthBits / 32) * 2.0;

    public static bool IsHardwareFma => Fma.IsSupported;

    /// <summary>The vector widths this CPU runs natively: 256, and 512 with AVX-512F.</summary>
    public static int[] Widths => Avx512F.IsSupported ? [256, 512] : [256];

    /// <summary>Runs the loop on <paramref name="threads"/> threads (the caller's and threads-1 new ones), each doing
    /// <see cref="FlopsPerThread"/> of work; returns a value that depends on every chain so nothing is elided.</summary>
    public static float Run(int threads, int widthBits = 256)
    {
        Func<long, float> loop = widthBits switch
        {
            256 => Loop,
            512 when Avx512F.IsSupported => Loop512,
            _ => throw new ArgumentException($"vector width {widthBits} is not supported here; use one of {string.Join(", ", Widths)}"),
        };
        if (threads <= 1) return loop(IterationsPerThread);
        var results = new float[threads];
        var workers = new Thread[threads - 1];
        for (int t = 0; t < workers.Length; t++)
        {
            int index = t + 1;
            workers[t] = new Thread(() => results[index] = loop(IterationsPerThread)) { IsBackground = true };
            workers[t].Start();
        }
        results[0] = loop(IterationsPerThread);
        foreach (var worker in workers) worker.Join();
        return results.Sum();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Loop(long iterations)
    {
        var m = Vector256.Create(0.999999f);
        var c = Vector256.Create(1e-6f);
        Vector256<float> a0 = Vector256.Create(1.0f), a1 = Vector256.Create(1.1f), a2 = Vector256.Create(1.2f),
            a3 = Vector256.Create(1.3f), a4 = Vector256.Create(1.4f), a5 = Vector256.Create(1.5f),
            a6 = Vector256.Create(1.6f), a7 = Vector256.Create(1.7f), a8 = Vector256.Create(1.8f), a9 = Vector256.Create(1.9f);
        if (Fma.IsSupported)
        {
            for (long i = 0; i < iterations; i++)
            {
                a0 = Fma.MultiplyAdd(a0, m, c); a1 = Fma.MultiplyAdd(a1, m, c);
                a2 = Fma.MultiplyAdd(a2, m, c); a3 = Fma.MultiplyAdd(a3, m, c);
                a4 = Fma.MultiplyAdd(a4, m, c); a5 = Fma.MultiplyAdd(a5, m, c);
                a6 = Fma.MultiplyAdd(a6, m, c); a7 = Fma.MultiplyAdd(a7, m, c);
                a8 = Fma.MultiplyAdd(a8, m, c); a9 = Fma.MultiplyAdd(a9, m, c);
            }
        }
        else
        {
            // No FMA unit: separate multiply and add, so the figure is the portable ceiling.
            for (long i = 0; i < iterations; i++)
            {
                a0 = a0 * m + c; a1 = a1 * m + c; a2 = a2 * m + c; a3 = a3 * m + c; a4 = a4 * m + c;
                a5 = a5 * m + c; a6 = a6 * m + c; a7 = a7 * m + c; a8 = a8 * m + c; a9 = a9 * m + c;
            }
        }
        var sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9;
        return Vector256.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Loop512(long iterations)
    {
        var m = Vector512.Create(0.999999f);
        var c = Vector512.Create(1e-6f);
        Vector512<float> a0 = Vector512.Create(1.0f), a1 = Vector512.Create(1.1f), a2 = Vector512.Create(1.2f),
            a3 = Vector512.Create(1.3f), a4 = Vector512.Create(1.4f), a5 = Vector512.Create(1.5f),
            a6 = Vector512.Create(1.6f), a7 = Vector512.Create(1.7f), a8 = Vector512.Create(1.8f), a9 = Vector512.Create(1.9f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, m, c); a1 = Avx512F.FusedMultiplyAdd(a1, m, c);
            a2 = Avx512F.FusedMultiplyAdd(a2, m, c); a3 = Avx512F.FusedMultiplyAdd(a3, m, c);
            a4 = Avx512F.FusedMultiplyAdd(a4, m, c); a5 = Avx512F.FusedMultiplyAdd(a5, m, c);
            a6 = Avx512F.FusedMultiplyAdd(a6, m, c); a7 = Avx512F.FusedMultiplyAdd(a7, m, c);
            a8 = Avx512F.FusedMultiplyAdd(a8, m, c); a9 = Avx512F.FusedMultiplyAdd(a9, m, c);
        }
        var sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9;
        return Vector512.Sum(sum);
    }
}
