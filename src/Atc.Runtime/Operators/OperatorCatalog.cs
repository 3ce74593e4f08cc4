namespace Atc.Runtime.Operators;

/// <summary>Collects the operator families; each family lists its operators in its own file.</summary>
internal static partial class OperatorCatalog
{
    public static IEnumerable<IOperator> All() => [.. ElementwiseOperators(), .. TensorOperators(), .. NeuralNetOperators(), .. ImageOperators()];

    /// <summary>Element-wise unary/binary/variadic ops, Cast, Where, reductions, Softmax (Operators/Elementwise, Operators/Reduction).</summary>
    private static partial IEnumerable<IOperator> ElementwiseOperators();

    /// <summary>Shape and data-movement ops: Reshape, Transpose, Concat, Slice, Gather, Pad, Shape, ... (Operators/Tensor).</summary>
    private static partial IEnumerable<IOperator> TensorOperators();

    /// <summary>Conv, ConvTranspose, pooling, Gemm, MatMul, normalisation (Operators/NeuralNet).</summary>
    private static partial IEnumerable<IOperator> NeuralNetOperators();

    /// <summary>Image pre-processing compiled from ATC's AIPP configuration (Operators/Image).</summary>
    private static partial IEnumerable<IOperator> ImageOperators();
}
