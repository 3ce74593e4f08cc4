using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Passes;

/// <summary>
/// Runs a QDQ-quantised Gemm on the int8 GEMM, as ONNX Runtime does: QuantizeLinear(Gemm(DequantizeLinear(A),
/// DequantizeLinear(B), DequantizeLinear(C)?)) with alpha = beta = 1, transA = 0 and constant 8-bit weights B becomes
/// QLinearMatMul with B as [K, N] (transposed at compile time for transB = 1) and C as its int32 column bias. The
/// weight scales may be per output column; the bias must be int32 with zero point 0 and scale A_scale · B_scale[n]
/// (what the quantisers write), so it adds to the int32 accumulator exactly. Anything else stays in float. Runs
/// before constant folding, like <see cref="QdqFusion"/>.
/// </summary>
public sealed class QdqGemmFusion : IGraphPass
{
    public const string GemmFused = "Gemm run as QLinearMatMul";

    public string Name => nameof(QdqGemmFusion);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        var names = new ValueNames(graph);
        var uses = GraphUses.Of(graph);
        foreach (var quantize in graph.Nodes.ToList())
        {
            if (quantize.OpType != OpTypes.QuantizeLinear || quantize.Inputs[0] is not { Producer: { OpType: OpTypes.Gemm } gemm } y) continue;
            if (!ReferenceEquals(uses.SoleReader(y), quantize) || gemm.Outputs.Count != 1) continue;
            if (QdqOperands.Quantization(names, quantize) is not { } output) continue;
            if (!TryGemm(names, gemm, output)) continue;
            GraphRewrites.Absorb(graph, gemm, quantize);
            result.Add(GemmFused);
        }
        return result.Complete(graph);
    }

    private static bool TryGemm(ValueNames names, Node gemm, (Value Scale, Value ZeroPoint) output)
    {
        var a = gemm.Attributes;
        if (a.GetFloat("alpha", 1f) != 1f || a.GetFloat("beta", 1f) != 1f || a.GetInt("transA", 0) != 0 || gemm.Inputs.Count > 3) return false;
        bool transB = a.GetInt("transB", 0) != 0;
        if (QdqOperands.PerTensorEightBit(names, gemm.Inputs[0]) is not { } x) return false;
        var bValue = gemm.Inputs[1];
        if (bValue?.Producer?.Inputs[0] is not { Constant: { Dims.Length: 2 } weights }) return false;
        // The output column axis of B: 0 when B is stored [N, K] (transB), else 1.
        if (QdqOperands.Dequantized(names, bValue, perAxis: transB ? 0 : 1) is not { } w || !w.Data.Type.IsEightBit()) return false;
        int n = weights.Dims[transB ? 0 : 1];
        Value? bias = null;
        if (GraphRewrites.InputOrNull(gemm, 2) is { } c)
        {
            if (QdqOperands.Dequantized(names, c, perAxis: 0) is not { Data: { Type: DataType.Int32, Constant: { } biasData } } qc) return false;
            if (biasData.Dims is not [var length] || length != n || qc.ZeroPoints.Any(z => z != 0)) return false;
            if (qc.Scales.Length != 1 && qc.Scales.Length != n || qc.Scales.Length == 1 && w.Scales.Length > 1) return false;
            for (int j = 0; j < qc.Scales.Length; j++)
                if (qc.Scales[j] != x.Scales[0] * w.Scales[w.Scales.Length == 1 ? 0 : j]) return false;
            bias = qc.Data;
        }
        var b = transB ? Value.FromConstant(names.Fresh(gemm.Name + "/weights_kn"), Transposed(weights)) : w.Data;
        gemm.OpType = OpTypes.QLinearMatMul;
        foreach (var name in new[] { "alpha", "beta", "transA", "transB" }) gemm.Attributes.Remove(name);
        gemm.Inputs.Clear();
        gemm.Inputs.AddRange([x.Data, x.Scale, x.ZeroPoint, b, w.Scale, w.ZeroPoint, output.Scale, output.ZeroPoint]);
        if (bias is not null) gemm.Inputs.Add(bias);
        return true;
    }

    /// <summary>An 8-bit [N, K] matrix as [K, N].</summary>
    private static TensorData Transposed(TensorData weights)
    {
        int rows = weights.Dims[0], columns = weights.Dims[1];
        var source = weights.Bytes.Span;
        var target = new byte[source.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                target[c * rows + r] = source[r * columns + c];
        return TensorData.FromArray(weights.Type, [columns, rows], target);
    }
}
