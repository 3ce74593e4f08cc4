using Atc.Runtime.MicroKernels;

namespace Atc.Tests.NeuralNet;

/// <summary>
/// The fused vector math of the mapped activations on each ISA path, element by element against double: across
/// [-100, 100] (exp's clamps, both tails), near zero, on a length with a partial last vector, in place and not.
/// Bound per element: 2e-6 relative plus 2e-7 · |x| absolute (erf's 1.5e-7 absolute error, scaled by x in GELU).
/// </summary>
[Collection("NeuralNet")]
public class VectorActivationsTests
{
    public static IEnumerable<object[]> Cases() =>
        from name in MatMulEpilogueActivationTests.Activations.Keys
        from isa in new[] { nameof(Isa.Avx512), nameof(Isa.Avx2), nameof(Isa.Portable) }
        select new object[] { name, isa };

    private static float[] Arguments()
    {
        var values = new List<float>();
        for (int i = -4000; i <= 4000; i++) values.Add(i * 0.025f);            // [-100, 100]
        for (int i = -300; i <= 300; i++) values.Add(i * 1e-4f);              // near zero
        values.AddRange([0f, -0f, 1e-30f, -1e-30f, 87f, -87f, 89f, -89f, 500f, -500f]);
        values.Add(0.5f);                                                     // 8613 values: a partial last vector
        return values.ToArray();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesDoubleReference(string name, string isaName)
    {
        var isa = Enum.Parse<Isa>(isaName);
        var map = VectorActivations.For(name, isa)!;
        var f = MatMulEpilogueActivationTests.Activations[name];
        var x = Arguments();
        var y = new float[x.Length];
        map(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = f(x[i]);
            double bound = 2e-6 * Math.Abs(expected) + 2e-7 * Math.Abs(x[i]);
            Assert.True(Math.Abs(y[i] - expected) <= bound, $"{name} on {isa} at x = {x[i]:G9}: expected {expected:G9}, got {y[i]:G9}");
        }
        var inPlace = (float[])x.Clone();
        map(inPlace, inPlace);
        Assert.Equal(y, inPlace);
    }
}
