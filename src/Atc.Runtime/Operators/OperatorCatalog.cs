namespace Atc.Runtime.Operators;

/// <summary>Collects the operator families; each family lists its operators in its own file.</summary>
internal static class OperatorCatalog
{
    /// <summary>
    /// Every operator, as op type and factory (nothing is constructed here): element-wise, Cast, Where, reductions and
    /// Softmax (Operators/Elementwise, Operators/Reduction); shape and data movement (Operators/TensorOps); Conv,
    /// pooling, Gemm, MatMul, normalisation, recurrent and quantised ops (Operators/NeuralNet); image pre-processing
    /// compiled from AIPP (Operators/Image); If, Loop and Scan (Operators/ControlFlow).
    /// </summary>
    public static IEnumerable<OperatorEntry> Entries() =>
        [.. Elementwise.ElementwiseOperators.Entries(), .. TensorOps.TensorOperators.Entries(), .. NeuralNet.NeuralNetOperators.Entries(), .. Image.ImageOperators.Entries(), .. ControlFlow.ControlFlowOperators.Entries()];
}
