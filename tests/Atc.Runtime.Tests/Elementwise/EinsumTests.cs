using Atc.Runtime;
using Atc.Runtime.Operators;

namespace Atc.Tests.Ops;

public class EinsumTests
{
    private static TensorData Einsum(string equation, params TensorData[] inputs) =>
        OpTester.Run(OpTypes.Einsum, T.Attrs(("equation", equation)), inputs);

    [Fact]
    public void CommonEquationsMatchNaiveLoops()
    {
        var a = T.Random(1, [2, 3, 4]);
        var b = T.Random(2, [2, 4, 5]);
        var av = a.ToFloatArray();
        var bv = b.ToFloatArray();
        var expected = new float[2 * 3 * 5];
        for (int n = 0; n < 2; n++)
            for (int i = 0; i < 3; i++)
                for (int k = 0; k < 5; k++)
                    for (int j = 0; j < 4; j++)
                        expected[(n * 3 + i) * 5 + k] += av[(n * 3 + i) * 4 + j] * bv[(n * 4 + j) * 5 + k];
        T.Close([2, 3, 5], expected, Einsum("bij, bjk -> bik", a, b), 1e-5f);

        var m = T.Iota(2, 3);
        T.Close([3, 2], [0, 3, 1, 4, 2, 5], Einsum("ij->ji", m));
        T.Close([2], [3, 12], Einsum("ij->i", m));
        T.Close([3, 2], [0, 3, 1, 4, 2, 5], Einsum("ji", m)); // implicit: labels in alphabetical order
        T.Close([], [14], Einsum("i,i", T.F([3], 1, 2, 3), T.F([3], 1, 2, 3)));
        T.Close([2, 3], [0, 0, 0, 0, 1, 2], Einsum("i,j->ij", T.F([2], 0, 1), T.F([3], 0, 1, 2)));
    }

    [Fact]
    public void EllipsisAndDiagonals()
    {
        var x = T.Iota(2, 3, 3);
        T.Close([2, 3], [0, 4, 8, 9, 13, 17], Einsum("...ii ->...i", x));
        T.Close([2], [12, 39], Einsum("bii->b", x));
        // Ellipsis broadcasting a size-1 batch against a size-2 one.
        var ones = T.F([1, 3], 1, 1, 1);
        T.Close([2, 3], [3, 12, 21, 30, 39, 48], Einsum("...j,...ij->...i", ones, x));
        T.Longs([2], [1, 2], Einsum("i->i", T.L([2], 1, 2)));
    }

    [Fact]
    public void EquationErrorsNameTheProblem()
    {
        var m = T.Iota(2, 3);
        OpTester.ShapeError(OpTypes.Einsum, T.Attrs(("equation", "ijk->i")), [m], "ijk", "rank 2");
        OpTester.ShapeError(OpTypes.Einsum, T.Attrs(("equation", "ij,jk->ik")), [m, T.Iota(2, 2)], "label 'j'", "size 3");
        OpTester.ShapeError(OpTypes.Einsum, T.Attrs(("equation", "ij->k")), [m], "'k'");
        OpTester.ShapeError(OpTypes.Einsum, T.Attrs(("equation", "ij,ij")), [m], "2 operand terms");
        OpTester.ShapeError(OpTypes.Einsum, T.Attrs(("equation", "i1->i")), [T.Iota(2, 3)], "'1'");
    }
}
