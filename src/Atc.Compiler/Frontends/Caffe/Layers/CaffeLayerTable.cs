namespace Atc.Compiler.Frontends.Caffe.Layers;

/// <summary>Every Caffe layer type the importer converts, by Caffe's type name, collected from the families'
/// Register methods. "Input" is handled by the importer itself (it declares graph inputs).</summary>
internal static class CaffeLayerTable
{
    public const string InputType = "Input";

    private static readonly Dictionary<string, Action<CaffeLayer>> Converters = Build();

    public static IEnumerable<string> SupportedTypes => Converters.Keys.Append(InputType).Order(StringComparer.Ordinal);

    public static bool IsSupported(string type) => type == InputType || Converters.ContainsKey(type);

    public static void Convert(CaffeLayer layer) => Converters[layer.Type](layer);

    private static Dictionary<string, Action<CaffeLayer>> Build()
    {
        var table = new Dictionary<string, Action<CaffeLayer>>(StringComparer.Ordinal);
        ConvolutionLayers.Register(table);
        PoolingLayers.Register(table);
        ActivationLayers.Register(table);
        NormalizationLayers.Register(table);
        EltwiseLayers.Register(table);
        TensorLayers.Register(table);
        ReductionLayers.Register(table);
        return table;
    }
}
