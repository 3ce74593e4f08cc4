namespace Atc.Runtime.Operators.NeuralNet;

/// <summary>The operators of this family, registered by <see cref="OperatorCatalog"/>.</summary>
internal static class NeuralNetOperators
{
    public static IEnumerable<OperatorEntry> Entries() =>
    [
        new(OpTypes.Conv, static _ => new ConvOperator()),
        new(OpTypes.ConvTranspose, static _ => new ConvTransposeOperator()),
        new(OpTypes.MaxPool, static t => new PoolOperator(t)),
        new(OpTypes.AveragePool, static t => new PoolOperator(t)),
        new(OpTypes.GlobalAveragePool, static t => new GlobalPoolOperator(t)),
        new(OpTypes.GlobalMaxPool, static t => new GlobalPoolOperator(t)),
        new(OpTypes.Gemm, static _ => new GemmOperator()),
        new(OpTypes.MatMul, static _ => new MatMulOperator()),
        new(OpTypes.BatchNormalization, static _ => new BatchNormalizationOperator()),
        new(OpTypes.InstanceNormalization, static _ => new InstanceNormalizationOperator()),
        new(OpTypes.LRN, static _ => new LrnOperator()),
        new(OpTypes.Lstm, static _ => new Recurrent.LstmOperator()),
        new(OpTypes.Gru, static _ => new Recurrent.GruOperator()),
        new(OpTypes.Rnn, static _ => new Recurrent.RnnOperator()),
        new(OpTypes.LayerNormalization, static _ => new LayerNormalizationOperator()),
        new(OpTypes.Attention, static _ => new AttentionOperator()),
        new(OpTypes.QuantizeLinear, static _ => new Quantized.QuantizeLinearOperator()),
        new(OpTypes.DequantizeLinear, static _ => new Quantized.DequantizeLinearOperator()),
        new(OpTypes.DynamicQuantizeLinear, static _ => new Quantized.DynamicQuantizeLinearOperator()),
        new(OpTypes.MatMulInteger, static _ => new Quantized.MatMulIntegerOperator()),
        new(OpTypes.QLinearMatMul, static _ => new Quantized.QLinearMatMulOperator()),
        new(OpTypes.QLinearAdd, static t => new Quantized.QLinearBinaryOperator(t)),
        new(OpTypes.QLinearMul, static t => new Quantized.QLinearBinaryOperator(t)),
        new(OpTypes.QLinearSigmoid, static t => new Quantized.QLinearLookupOperator(t)),
        new(OpTypes.QLinearLeakyRelu, static t => new Quantized.QLinearLookupOperator(t)),
        new(OpTypes.ConvInteger, static t => new Quantized.QuantizedConvOperator(t)),
        new(OpTypes.QLinearConv, static t => new Quantized.QuantizedConvOperator(t)),
        new(OpTypes.NegativeLogLikelihoodLoss, static _ => new Loss.NegativeLogLikelihoodLossOperator()),
        new(OpTypes.Det, static _ => new LinearAlgebra.DetOperator()),
        new(OpTypes.MaxUnpool, static _ => new MaxUnpoolOperator()),
        new(OpTypes.RoiAlign, static _ => new RoiAlignOperator()),
    ];
}
