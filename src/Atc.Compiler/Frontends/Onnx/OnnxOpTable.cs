using Atc.Compiler.Frontends.Onnx.Lowering;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>The ONNX ops (default domain) the importer lowers, by op type. Anything else is reported unsupported.</summary>
internal static class OnnxOpTable
{
    private static readonly Dictionary<string, OnnxLowering> Table = Build();

    public static bool TryGet(string opType, out OnnxLowering lowering) => Table.TryGetValue(opType, out lowering!);

    public static IEnumerable<string> SupportedOpTypes => Table.Keys.Order(StringComparer.Ordinal);

    private static Dictionary<string, OnnxLowering> Build()
    {
        var table = new Dictionary<string, OnnxLowering>(StringComparer.Ordinal);
        ElementwiseLowerings.Register(table);
        ReductionLowerings.Register(table);
        NeuralNetLowerings.Register(table);
        NormalizationLowerings.Register(table);
        TensorLowerings.Register(table);
        IndexingLowerings.Register(table);
        WindowLowerings.Register(table);
        ResizeLowerings.Register(table);
        ConstantLowerings.Register(table);
        RecurrentLowerings.Register(table);
        QuantizedLowerings.Register(table);
        LossLowerings.Register(table);
        TextLowerings.Register(table);
        SignalLowerings.Register(table);
        ControlFlowLowerings.Register(table);
        return table;
    }
}
