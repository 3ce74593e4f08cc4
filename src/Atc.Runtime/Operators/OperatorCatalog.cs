using Atc.Runtime.Operators.Elementwise;
using Atc.Runtime.Operators.Image;
using Atc.Runtime.Operators.NeuralNet;
using Atc.Runtime.Operators.TensorOps;

namespace Atc.Runtime.Operators;

/// <summary>Collects the operator families; each family lists its operators in its own file.</summary>
internal static class OperatorCatalog
{
    /// <summary>
    /// Every operator: element-wise, Cast, Where, reductions and Softmax (Operators/Elementwise, Operators/Reduction);
    /// shape and data movement (Operators/TensorOps); Conv, pooling, Gemm, MatMul, normalisation, recurrent and
    /// quantised ops (Operators/NeuralNet); image pre-processing compiled from AIPP (Operators/Image).
    /// </summary>
    public static IEnumerable<IOperator> All() =>
        [.. Elementwise.ElementwiseOperators.All(), .. TensorOps.TensorOperators.All(), .. NeuralNet.NeuralNetOperators.All(), .. Image.ImageOperators.All(), .. ControlFlow.ControlFlowOperators.All()];
}
