using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Tests.NeuralNet;

[Collection("NeuralNet")]
public class MatMulTests
{
    public static IEnumerable<object[]> Cases() =>
        from shapes in new (int[] A, int[] B)[]
        {
            ([5, 7], [7, 4]),
            ([2, 3, 19, 33], [33, 40]),
            ([2, 1, 5, 7], [3, 7, 4]),
            ([4, 6, 700], [4, 700, 70]),
            ([6, 9], [2, 9, 5]),
            ([1, 1, 3, 4], [1, 4, 2]),
        }
        from constant in new[] { true, false }
        select new object[] { shapes.A, shapes.B, constant };

    [Theory]
    [MemberData(nameof(Cases))]
    public void BatchedMatchesReference(int[] aDims, int[] bDims, bool constant)
    {
        var a = TestData.Random(21, TestData.Count(aDims));
        var b = TestData.Random(22, TestData.Count(bDims));
        var expected = Reference.BatchedMatMul(a, aDims, b, bDims, out int[] batch);
        var (actual, dims) = OpRunner.Run(OpTypes.MatMul, new OpAttributes(), [new(aDims, a), new(bDims, b, constant)]);
        Assert.Equal([.. batch, aDims[^2], bDims[^1]], dims);
        TensorAssert.Close(expected, actual);
        Assert.Equal(actual, OpRunner.Run(OpTypes.MatMul, new OpAttributes(), [new(aDims, a), new(bDims, b, constant)], threads: 2).Data);
    }

    [Fact]
    public void OneDimensionalOperandsArePromotedAndDropped()
    {
        var v = TestData.Random(23, 7);
        var m = TestData.Random(24, 7 * 4);
        var mt = TestData.Random(25, 3 * 7);

        var (vm, vmDims) = OpRunner.Run(OpTypes.MatMul, new OpAttributes(), [new([7], v), new([7, 4], m)]);
        Assert.Equal(new[] { 4 }, vmDims);
        TensorAssert.Close(Reference.BatchedMatMul(v, [1, 7], m, [7, 4], out _), vm);

        var (mv, mvDims) = OpRunner.Run(OpTypes.MatMul, new OpAttributes(), [new([3, 7], mt), new([7], v)]);
        Assert.Equal(new[] { 3 }, mvDims);
        TensorAssert.Close(Reference.BatchedMatMul(mt, [3, 7], v, [7, 1], out _), mv);

        var (vv, vvDims) = OpRunner.Run(OpTypes.MatMul, new OpAttributes(), [new([7], v), new([7], v)]);
        Assert.Empty(vvDims);
        TensorAssert.Close(new[] { v.Sum(x => (double)x * x) }, vv);

        var batchedVector = TestData.Random(26, 2 * 3 * 7);
        var (bv, bvDims) = OpRunner.Run(OpTypes.MatMul, new OpAttributes(), [new([2, 3, 7], batchedVector), new([7], v)]);
        Assert.Equal(new[] { 2, 3 }, bvDims);
        TensorAssert.Close(Reference.BatchedMatMul(batchedVector, [2, 3, 7], v, [7, 1], out _), bv);
    }

    [Fact]
    public void MismatchedShapesAreShapeErrors()
    {
        Assert.Contains("inner dimensions differ", Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.MatMul, new OpAttributes(),
            new TestInput([3, 4], new float[12]), new TestInput([5, 6], new float[30]))).Message);
        Assert.Contains("cannot be broadcast", Assert.Throws<ShapeException>(() => OpRunner.Infer(OpTypes.MatMul, new OpAttributes(),
            new TestInput([2, 3, 4], new float[24]), new TestInput([3, 4, 6], new float[72]))).Message);
    }
}
