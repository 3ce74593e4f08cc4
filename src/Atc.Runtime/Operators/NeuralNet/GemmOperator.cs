using Atc.Runtime.Core;
using Atc.Runtime.MicroKernels;

namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>
/// Gemm: Y = act(alpha * op(A) x op(B) + beta * C), op = optional transpose (transA / transB), C broadcast to
/// [M, N] (scalar, [N], [1, N], [M, 1] or [M, N]).
/// </summary>
internal sealed class GemmOperator : IOperator
{
    public string OpType => OpTypes.Gemm;

    public TensorType[] InferOutputs(OpContext context)
    {
        var (m, n, _) = Dimensions(context);
        return [new TensorType(DataType.Float32, [m, n])];
    }

    public IKernel CreateKernel(OpContext context, TensorType[] outputs)
    {
        var (m, n, k) = Dimensions(context);
        return PostActivationKernel.Wrap(context, new GemmKernel(context, m, n, k, KernelIsa.Current), outputs[0]);
    }

    internal static (int M, int N, int K) Dimensions(OpContext context)
    {
        string op = context.OpType;
        var a = NeuralNetAttributes.RequireFloat(context, 0, "A");
        var b = NeuralNetAttributes.RequireFloat(context, 1, "B");
        if (a.Rank != 2) throw new ShapeException($"{op}: A must be 2-D, got {a}");
        if (b.Rank != 2) throw new ShapeException($"{op}: B must be 2-D, got {b}");
        bool transA = context.Attributes.GetInt("transA", 0) != 0;
        bool transB = context.Attributes.GetInt("transB", 0) != 0;
        int m = transA ? a.Dims[1] : a.Dims[0], k = transA ? a.Dims[0] : a.Dims[1];
        int kb = transB ? b.Dims[1] : b.Dims[0], n = transB ? b.Dims[0] : b.Dims[1];
        if (k != kb)
            throw new ShapeException($"{op}: inner dimensions differ: op(A) is [{m},{k}] (A {a}, transA={(transA ? 1 : 0)}), " +
                $"op(B) is [{kb},{n}] (B {b}, transB={(transB ? 1 : 0)})");
        if (context.HasInput(2))
        {
            var c = NeuralNetAttributes.RequireFloat(context, 2, "C");
            var (cm, cn) = BiasShape(c.Dims);
            if (c.Rank > 2 || (cm != 1 && cm != m) || (cn != 1 && cn != n))
                throw new ShapeException($"{op}: C {c} cannot be broadcast to the output [{m},{n}]");
        }
        return (m, n, k);
    }

    /// <summary>C's dims as [rows, columns] (a scalar is [1,1], a vector [1, n]).</summary>
    internal static (int Rows, int Columns) BiasShape(int[] dims) => dims.Length switch
    {
        0 => (1, 1),
        1 => (1, dims[0]),
        _ => (dims[^2], dims[^1]),
    };
}
