using Atc.Compiler.Ir;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>DFT: opset 17 has axis as an attribute (default 1); opset 20 moved it to input 2 (constant, default -2).
/// STFT and MelWeightMatrix (opset 17) map onto the canonical ops of the same name.</summary>
internal static class SignalLowerings
{
    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        table[OpTypes.Dft] = Dft;
        table[OpTypes.Stft] = Stft;
        table[OpTypes.MelWeightMatrix] = MelWeightMatrix;
    }

    private static void Stft(NodeLowering n)
    {
        var inputs = new[] { n.RequiredInput(0, "signal"), n.RequiredInput(1, "frame_step"), n.Input(2), n.Input(3) };
        n.Emit(OpTypes.Stft, [.. inputs.Reverse().SkipWhile(v => v is null).Reverse()], OnnxAttributes.Copy(n, "onesided"), 1);
    }

    private static void MelWeightMatrix(NodeLowering n)
    {
        int code = OnnxAttributeCodes.TypeCode(n, "output_datatype", 1);
        if (OnnxDataTypes.ToDataType(code) is not { } type || type is not (DataType.Float32 or DataType.Float64))
        {
            n.Unsupported($"MelWeightMatrix with output_datatype {OnnxDataTypes.Name(code)}");
            return;
        }
        var inputs = new[] { "num_mel_bins", "dft_length", "sample_rate", "lower_edge_hertz", "upper_edge_hertz" }
            .Select((name, i) => n.RequiredInput(i, name)).ToArray();
        n.Emit(OpTypes.MelWeightMatrix, inputs, new OpAttributes().Set("output_datatype", (long)type), 1, type);
    }

    private static void Dft(NodeLowering n)
    {
        long axis = n.Node.Int("axis", 1);
        if (n.Opset >= 20)
        {
            var axisInput = n.ConstantInput(2, "axis", out bool ok);
            if (!ok) return;
            axis = axisInput is null ? -2 : axisInput.ToInt64Array()[0];
        }
        var attributes = OnnxAttributes.Copy(n, "inverse", "onesided").Set("axis", axis);
        n.Emit(OpTypes.Dft, [n.RequiredInput(0, "input"), n.Input(1)], attributes, 1);
    }
}
