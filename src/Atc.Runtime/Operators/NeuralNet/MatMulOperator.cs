using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>The shapes of a numpy matmul after 1-D promotion: batch dims broadcast, [M, K] x [K, N].</summary>
internal sealed record MatMulShape(int[] BatchDims, int[] ABatch, int[] BBatch, int M, int N, int K, int[] OutputDims)
{
    public long BatchCount => Shape.ElementCount(BatchDims);
}

/// <summary>MatMul: numpy matmul semantics (1-D promotion, batch broadcasting), float32. The compiler may add a
/// third input, a bias of N values added to every row of the result (in the GEMM's epilogue), and an "activation".</summary>
internal sealed class MatMulOperator : IOperator
{
    public string OpType => OpTypes.MatMul;

    public TensorType[] InferOutputs(OpContext context) => [new TensorType(DataType.Float32, Resolve(context).OutputDims)];

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
        => PostActivationKernel.Wrap(context, new MatMulKernel(context, Resolve(context), KernelIsa.Current), outputs[0]);

    internal static MatMulShape Resolve(OpContext context)
    {
        var a = NeuralNetAttributes.RequireFloat(context, 0, "A");
        var b = NeuralNetAttributes.RequireFloat(context, 1, "B");
        var shape = Resolve(context.OpType, a, b);
        int n = shape.N;
        if (context.HasInput(2) && NeuralNetAttributes.RequireFloat(context, 2, "bias") is var bias && (bias.Rank != 1 || bias.Dims[0] != n || b.Rank < 2))
            throw new ShapeException($"{context.OpType}: bias {bias} must be 1-D with N = {n} values (the columns of B {b})");
        return shape;
    }

    /// <summary>The matmul shapes of A and B whatever their element type (the integer matmuls share them).</summary>
    internal static MatMulShape Resolve(string op, TensorType a, TensorType b)
    {
        if (a.Rank == 0 || b.Rank == 0) throw new ShapeException($"{op}: inputs must have rank at least 1, got A {a} and B {b}");
        int[] ad = a.Rank == 1 ? [1, a.Dims[0]] : a.Dims;
        int[] bd = b.Rank == 1 ? [b.Dims[0], 1] : b.Dims;
        int m = ad[^2], k = ad[^1], kb = bd[^2], n = bd[^1];
        if (k != kb)
            throw new ShapeException($"{op}: inner dimensions differ: A {a} has K = {k}, B {b} has K = {kb}");
        int[] aBatch = ad[..^2], bBatch = bd[..^2];
        int[] batch;
        try
        {
            batch = Shape.Broadcast(aBatch, bBatch);
        }
        catch (ShapeException)
        {
            throw new ShapeException($"{op}: batch dims {Shape.Format(aBatch)} of A {a} and {Shape.Format(bBatch)} of B {b} cannot be broadcast");
        }
        var output = new List<int>(batch);
        if (a.Rank > 1) output.Add(m);
        if (b.Rank > 1) output.Add(n);
        return new MatMulShape(batch, aBatch, bBatch, m, n, k, [.. output]);
    }
}
