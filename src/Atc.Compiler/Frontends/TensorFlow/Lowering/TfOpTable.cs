namespace Atc.Compiler.Frontends.TensorFlow.Lowering;

/// <summary>Every TensorFlow op type the importer lowers, by name.</summary>
internal static class TfOpTable
{
    private static readonly Dictionary<string, TfLowering> Table = Build();

    public static bool TryGet(string op, out TfLowering lowering) => Table.TryGetValue(op, out lowering!);

    public static IReadOnlyCollection<string> SupportedOps => Table.Keys;

    private static Dictionary<string, TfLowering> Build()
    {
        var table = new Dictionary<string, TfLowering>(StringComparer.Ordinal);
        GraphLowerings.Register(table);
        ElementwiseLowerings.Register(table);
        NeuralNetLowerings.Register(table);
        ReductionLowerings.Register(table);
        ShapeLowerings.Register(table);
        IndexingLowerings.Register(table);
        DetectionLowerings.Register(table);
        RecurrentLowerings.Register(table);
        ResizeLowerings.Register(table);
        BlockLowerings.Register(table);
        ConvTransposeLowering.Register(table);
        return table;
    }
}
