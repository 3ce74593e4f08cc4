using Atc.Runtime.MicroKernels.Int8;
using System.Runtime.Intrinsics.X86;

namespace Atc.Tests.Quantized;

/// <summary>The quantised unary ops' byte lookup: the AVX-512 VBMI path (when the CPU has it) against the plain
/// table walk, over every index (both halves of the table) and lengths that leave a scalar tail.</summary>
public unsafe class Int8ByteLookupTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(256)]
    [InlineData(4096 + 37)]
    public void Vector_lookup_equals_the_table(int count)
    {
        var random = new Random(count);
        var table = new byte[256];
        random.NextBytes(table);
        var x = new byte[count];
        for (int i = 0; i < count; i++) x[i] = (byte)(i < 256 ? i : random.Next(256));
        var expected = x.Select(v => table[v]).ToArray();
        foreach (bool vector in new[] { false, Avx512Vbmi.IsSupported })
        {
            var y = new byte[count];
            fixed (byte* t = table, px = x, py = y) Int8ByteLookup.Map(t, px, py, count, vector);
            Assert.Equal(expected, y);
        }
    }
}
