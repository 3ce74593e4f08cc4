using Atc.Compiler.Ir;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>DFT: opset 17 has axis as an attribute (default 1); opset 20 moved it to input 2 (constant, default -2).</summary>
internal static class SignalLowerings
{
    public static void Register(Dictionary<string, OnnxLowering> table) => table[OpTypes.Dft] = Dft;

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
