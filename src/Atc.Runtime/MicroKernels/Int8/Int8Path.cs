using System.Runtime.Intrinsics.X86;

namespace Atc.Runtime.MicroKernels.Int8;

/// <summary>The int8 GEMM instruction paths. All of them compute the same int32 sums, so they are bit-exact with each
/// other; .NET 10 exposes vpdpbusd only at 256 bits (AvxVnni), not the 512-bit AVX512-VNNI form.</summary>
internal enum Int8Path
{
    /// <summary>Scalar code that runs anywhere.</summary>
    Portable = 0,
    /// <summary>AVX2 without VNNI: bytes widened to int16 and multiplied with vpmaddwd (vpmaddubsw would saturate
    /// 255·(-128)·2 at int16).</summary>
    Avx2 = 1,
    /// <summary>AVX-VNNI vpdpbusd on 256-bit vectors: four u8·s8 products added into each int32 lane.</summary>
    AvxVnni = 2,
}

/// <summary>Picks the int8 path from <see cref="KernelIsa.Current"/>: VNNI only at the best ISA (a test that lowers the
/// ISA gets the plain AVX2 path), portable when the ISA is lowered to portable.</summary>
internal static class Int8Paths
{
    public static Int8Path Current
    {
        get
        {
            var isa = KernelIsa.Current;
            if (isa == Isa.Portable || !Avx2.IsSupported) return Int8Path.Portable;
            return AvxVnni.IsSupported && isa == KernelIsa.Best ? Int8Path.AvxVnni : Int8Path.Avx2;
        }
    }

    public static bool IsSupported(Int8Path path) => path switch
    {
        Int8Path.Portable => true,
        Int8Path.Avx2 => Avx2.IsSupported,
        _ => AvxVnni.IsSupported && Avx2.IsSupported,
    };
}
