namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>The operators of this family, registered by <see cref="OperatorCatalog"/>.</summary>
internal static class NeuralNetOperators
{
    public static IEnumerable<IOperator> All() =>
    [
        new ConvOperator(),
        new ConvTransposeOperator(),
        new PoolOperator(OpTypes.MaxPool),
        new PoolOperator(OpTypes.AveragePool),
        new GlobalPoolOperator(OpTypes.GlobalAveragePool),
        new GlobalPoolOperator(OpTypes.GlobalMaxPool),
        new GemmOperator(),
        new MatMulOperator(),
        new BatchNormalizationOperator(),
        new InstanceNormalizationOperator(),
        new LrnOperator(),
        new Recurrent.LstmOperator(),
        new Recurrent.GruOperator(),
        new Recurrent.RnnOperator(),
        new LayerNormalizationOperator(),
        new AttentionOperator(),
        new Quantized.QuantizeLinearOperator(),
        new Quantized.DequantizeLinearOperator(),
        new Quantized.DynamicQuantizeLinearOperator(),
        new Quantized.MatMulIntegerOperator(),
        new Quantized.QLinearMatMulOperator(),
        new Quantized.QLinearBinaryOperator(OpTypes.QLinearAdd),
        new Quantized.QLinearBinaryOperator(OpTypes.QLinearMul),
        new Quantized.QLinearLookupOperator(OpTypes.QLinearSigmoid),
        new Quantized.QLinearLookupOperator(OpTypes.QLinearLeakyRelu),
        new Quantized.QuantizedConvOperator(OpTypes.ConvInteger),
        new Quantized.QuantizedConvOperator(OpTypes.QLinearConv),
        new Loss.NegativeLogLikelihoodLossOperator(),
        new LinearAlgebra.DetOperator(),
        new MaxUnpoolOperator(),
        new RoiAlignOperator(),
    ];
}
