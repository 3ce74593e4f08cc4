using Atc.Fuzz.Targets;
using Atc.TestModels.Onnx;
using Atc.TestModels.TensorFlow;

namespace Atc.Fuzz.Seeds;

/// <summary>
/// Seed models: small ones from this repository's builders (preferred: they compile, so mutations reach the passes and
/// the emitter), then the small files of ../shared/conformance (ordered by path, so seed lists are deterministic).
/// </summary>
public static class ModelSeeds
{
    private const int MaxConformanceBytes = 2 << 20;
    private const int MaxOnnxNodeCaseBytes = 16 << 10;

    public static IReadOnlyList<FuzzSeed> PreferredTensorFlow { get; } =
    [
        new("tf-mlp", TfModels.Mlp(new TfMlpOptions { InputSize = 16, Hidden = [8], Classes = 4 }).Bytes),
        new("tf-tiny-cnn", TinyTfCnn()),
    ];

    public static IReadOnlyList<FuzzSeed> PreferredOnnx { get; } =
    [
        new("onnx-mlp", OnnxModels.Mlp()),
        new("onnx-tiny-cnn", OnnxModels.TinyCnn()),
    ];

    public static IReadOnlyList<FuzzSeed> TensorFlow()
        => [.. PreferredTensorFlow, .. ConformanceFiles("tf", "model.pb", MaxConformanceBytes)];

    public static IReadOnlyList<FuzzSeed> Onnx()
        => [.. PreferredOnnx, .. ConformanceFiles(Path.Combine("onnx", "simple"), "model.onnx", MaxOnnxNodeCaseBytes),
            .. ConformanceFiles(Path.Combine("onnx", "node"), "model.onnx", MaxOnnxNodeCaseBytes)];

    /// <summary>Conv+BN+Relu, MaxPool, Conv+BN+Relu6, Mean, dynamic flatten, dense, Softmax on [-1,8,8,3].</summary>
    private static byte[] TinyTfCnn()
    {
        var b = new TfGraphBuilder(seed: 3);
        var x = b.Placeholder("input", [-1, 8, 8, 3]);
        x = b.ConvBn("c1", x, 3, 3, 4);
        x = b.MaxPool("pool", x, 2, 2);
        x = b.ConvBn("c2", x, 3, 4, 8, activation: "Relu6");
        x = b.Mean("mean", x, [1, 2], keepDims: true);
        x = b.FlattenDynamic("flat", x, 8);
        b.Softmax("output", b.Dense("fc", x, 8, 4));
        return b.ToBytes();
    }

    private static IEnumerable<FuzzSeed> ConformanceFiles(string folder, string fileName, int maxBytes)
    {
        var root = RepositoryPaths.Conformance;
        if (root is null || !Directory.Exists(Path.Combine(root, folder))) return [];
        return Directory.EnumerateFiles(Path.Combine(root, folder), fileName, SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).Length <= maxBytes)
            .Order(StringComparer.Ordinal)
            .Select(f => new FuzzSeed(Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes(f)));
    }
}
