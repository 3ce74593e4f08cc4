using Atc.Runtime;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>
/// HannWindow, HammingWindow and BlackmanWindow (opset 17) map onto the canonical ops of the same name; the size must
/// fold to a constant, and the compiler then folds the whole window into a constant.
/// </summary>
internal static class WindowLowerings
{
    public static void Register(Dictionary<string, OnnxLowering> table)
    {
        foreach (var op in new[] { OpTypes.HannWindow, OpTypes.HammingWindow, OpTypes.BlackmanWindow })
            table[op] = Window;
    }

    private static void Window(NodeLowering n)
    {
        int code = OnnxAttributeCodes.TypeCode(n, "output_datatype", 1);
        if (OnnxDataTypes.ToDataType(code) is not { } type || type is not (DataType.Float32 or DataType.Float64))
        {
            n.Unsupported($"{n.OpType} with output_datatype {OnnxDataTypes.Name(code)}");
            return;
        }
        n.Emit(n.OpType, [n.RequiredInput(0, "size")], OnnxAttributes.Copy(n, "periodic").Set("output_datatype", (long)code), 1, type);
    }
}
