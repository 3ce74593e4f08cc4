using Atc.Compiler.Driver;
using Atc.Compiler.Ir;
using Atc.Options.Deployment;
using Atc.Runtime;
using Atc.Runtime.Format;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Precision;

/// <summary>
/// A lower-precision mode (--precision_mode) on the optimised graph: the constant float32 weights of Conv,
/// ConvTranspose, Gemm and MatMul nodes are rounded to bfloat16 or float16 (nearest even), so the .om can store them
/// in 16 bits exactly (<see cref="Emit.StoredWeights"/>). Biases, activations, accumulation and every other op stay
/// float32, as ATC keeps accumulation in float32. A node named in --keep_dtype (by name, or by its canonical or
/// framework op type) keeps float32 weights, and so does a weight any such node, or any other op, also reads.
/// Runs after the passes, so BatchNorm is already folded into the weights it rounds.
/// </summary>
public static class WeightPrecisionLowering
{
    private static readonly HashSet<string> LoweredOps = new(StringComparer.Ordinal)
    {
        OpTypes.Conv, OpTypes.ConvTranspose, OpTypes.Gemm, OpTypes.MatMul,
    };

    /// <summary>Rounds the weights; returns how many constants were lowered.</summary>
    public static int Apply(Graph graph, WeightPrecision precision, IReadOnlyList<KeepDtypeEntry> keep)
    {
        if (precision is not (WeightPrecision.BFloat16 or WeightPrecision.Float16)) return 0;
        var keptNames = keep.Where(e => !e.IsOpType).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var keptTypes = keep.Where(e => e.IsOpType).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        bool Kept(Node n) => keptNames.Contains(n.Name) || keptTypes.Contains(n.OpType) || keptTypes.Contains(n.SourceOpType);

        var candidates = new HashSet<Value>();
        var blocked = new HashSet<Value>();
        foreach (var node in graph.Nodes)
        {
            bool lowers = LoweredOps.Contains(node.OpType) && !Kept(node);
            for (int j = 0; j < node.Inputs.Count; j++)
            {
                if (node.Inputs[j] is not { IsConstant: true, Type: DataType.Float32 } value) continue;
                // Inputs 0 and 1 are the operands of the product; input 2 and later (bias, residual) stay float32.
                if (lowers && j < 2) candidates.Add(value);
                else blocked.Add(value);
            }
        }
        foreach (var output in graph.Outputs) blocked.Add(output);

        int lowered = 0;
        foreach (var value in candidates)
        {
            if (blocked.Contains(value)) continue;
            value.Constant = Round(value.Constant!, precision);
            lowered++;
        }
        return lowered;
    }

    private static TensorData Round(TensorData data, WeightPrecision precision)
    {
        var values = data.ToFloatArray();
        for (int i = 0; i < values.Length; i++)
            values[i] = precision == WeightPrecision.BFloat16 ? WeightNarrowing.RoundToBFloat16(values[i]) : WeightNarrowing.RoundToFloat16(values[i]);
        return TensorData.FromArray(DataType.Float32, data.Dims, values);
    }

    /// <summary>The 16-bit storage of a precision (Float32 for the float32 modes).</summary>
    internal static WeightStorageType StorageOf(WeightPrecision precision) => precision switch
    {
        WeightPrecision.BFloat16 => WeightStorageType.BFloat16,
        WeightPrecision.Float16 => WeightStorageType.Float16,
        _ => WeightStorageType.Float32,
    };
}
