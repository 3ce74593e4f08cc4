using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>
/// ONNX normalisations that the canonical op set has no single op for, written out in reductions and element-wise
/// ops as their ONNX function bodies define them: LayerNormalization (opset 17) and MeanVarianceNormalization.
/// </summary>
internal static class NormalizationLowerings
{
    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        table["LayerNormalization"] = LayerNormalization;
        table["MeanVarianceNormalization"] = MeanVarianceNormalization;
    }

    /// <summary>Y = (X - mean) · InvStdDev · Scale + B over the axes from "axis" to the last, with
    /// InvStdDev = 1 / sqrt(var + epsilon); outputs 1 and 2 (optional) are Mean and InvStdDev with those axes kept as 1.</summary>
    private static void LayerNormalization(NodeLowering n)
    {
        var x = n.RequiredInput(0, "X");
        var scale = n.RequiredInput(1, "Scale");
        var bias = n.Input(2);
        long axis = n.Node.Int("axis", -1);
        // Negative axes need no rank: axis -k normalises the last k axes.
        if (axis >= 0)
        {
            if (n.Context.Ranks.RankOf(x) is not { } rank)
            {
                n.Unsupported("LayerNormalization with a non-negative axis on an input of unknown rank");
                return;
            }
            axis -= rank;
        }
        // A file's axis may be anything: -2^63 would wrap when negated. No tensor has more axes than MaxRank.
        if (axis is >= 0 or < -OnnxAttributeCodes.MaxRank)
            throw new AtcException(AtcErrors.InvalidModel($"node {n.Node} has axis {n.Node.Int("axis", -1)}, outside the input's axes"));
        long[] axes = [.. Enumerable.Range(0, (int)-axis).Select(i => axis + i)];
        float epsilon = n.Node.Float("epsilon", 1e-5f);
        var type = x.Type;

        var mean = n.EmitOutput(1, "mean", OpTypes.ReduceMean, [x], Reduce(axes), type);
        var centred = n.EmitHelper("centred", OpTypes.Sub, [x, mean], null, type);
        var variance = n.EmitHelper("variance", OpTypes.ReduceMean, [n.EmitHelper("square", OpTypes.Mul, [centred, centred], null, type)], Reduce(axes), type);
        var shifted = n.EmitHelper("variance_eps", OpTypes.Add, [variance, n.Constant("epsilon", Scalar(type, epsilon))], null, type);
        var invStdDev = n.EmitOutput(2, "inv_std_dev", OpTypes.Reciprocal, [n.EmitHelper("std_dev", OpTypes.Sqrt, [shifted], null, type)], null, type);
        var normalized = n.EmitHelper("normalized", OpTypes.Mul, [centred, invStdDev], null, type);
        if (bias is null)
            n.Emit(OpTypes.Mul, [normalized, scale], null, 1, type);
        else
            n.Emit(OpTypes.Add, [n.EmitHelper("scaled", OpTypes.Mul, [normalized, scale], null, type), bias], null, 1, type);
    }

    /// <summary>Y = (X - mean) / (sqrt(var) + 1e-9) over "axes" (default [0, 2, 3]), the function body's epsilon.</summary>
    private static void MeanVarianceNormalization(NodeLowering n)
    {
        var x = n.RequiredInput(0, "X");
        long[] axes = n.Node.Ints("axes") ?? [0, 2, 3];
        var type = x.Type;
        var mean = n.EmitHelper("mean", OpTypes.ReduceMean, [x], Reduce(axes), type);
        var centred = n.EmitHelper("centred", OpTypes.Sub, [x, mean], null, type);
        var variance = n.EmitHelper("variance", OpTypes.ReduceMean, [n.EmitHelper("square", OpTypes.Mul, [centred, centred], null, type)], Reduce(axes), type);
        var std = n.EmitHelper("std_dev", OpTypes.Sqrt, [variance], null, type);
        var denominator = n.EmitHelper("std_dev_eps", OpTypes.Add, [std, n.Constant("epsilon", Scalar(type, 1e-9))], null, type);
        n.Emit(OpTypes.Div, [centred, denominator], null, 1, type);
    }

    private static OpAttributes Reduce(long[] axes) => new OpAttributes().Set("axes", axes).Set("keepdims", 1L);

    private static TensorData Scalar(DataType type, double value) => OnnxTensorReader.Scalar(type, value);
}
