using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels.Int8;

/// <summary>
/// y[i] = table[x[i]] for a 256-entry byte table (the quantised unary ops' Q(f(DQ(x)))). With AVX-512 VBMI, 64 bytes
/// per step: two vpermt2b look the index's low 7 bits up in each half of the table and bit 7 picks the half; a pure
/// lookup, so every path gives the same bytes.
/// </summary>
internal static unsafe class Int8ByteLookup
{
    /// <summary>Whether the 64-byte path runs at the current kernel ISA (AVX-512 and VBMI).</summary>
    public static bool VectorAvailable => KernelIsa.Current == Isa.Avx512 && Avx512Vbmi.IsSupported;

    public static void Map(byte* table, byte* x, byte* y, long count, bool vector)
    {
        long i = 0;
        if (vector)
        {
            var t0 = Vector512.Load(table);
            var t1 = Vector512.Load(table + 64);
            var t2 = Vector512.Load(table + 128);
            var t3 = Vector512.Load(table + 192);
            for (; i + 64 <= count; i += 64)
            {
                var index = Vector512.Load(x + i);
                var low = Avx512Vbmi.PermuteVar64x8x2(t0, index, t1);
                var high = Avx512Vbmi.PermuteVar64x8x2(t2, index, t3);
                var upperHalf = Vector512.LessThan(index.AsSByte(), Vector512<sbyte>.Zero).AsByte();
                Vector512.ConditionalSelect(upperHalf, high, low).Store(y + i);
            }
        }
        for (; i < count; i++) y[i] = table[x[i]];
    }
}
