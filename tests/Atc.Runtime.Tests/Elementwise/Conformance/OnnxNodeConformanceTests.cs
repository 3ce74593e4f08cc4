using Atc.Runtime;
using Atc.Runtime.Operators;
using Xunit.Abstractions;

namespace Atc.Tests.Ops.Conformance;

/// <summary>
/// Runs the single-node ONNX backend test cases (../shared/conformance/onnx/node) whose operator belongs to the
/// element-wise, reduction or tensor families straight through the operators (no importer), with the few ONNX-to-
/// canonical adaptations an importer makes (Softmax legacy axis, Resize's roi input). Compares like ONNX does:
/// rtol 1e-3, atol 1e-7 for floats, exact otherwise.
/// </summary>
public class OnnxNodeConformanceTests(ITestOutputHelper output)
{
    /// <summary>ONNX op types handled by these families, mapped to canonical op types (same names).</summary>
    private static readonly HashSet<string> Families =
    [
        "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or",
        "Xor", "Not", "Max", "Min", "Sum", "Mean", "PRelu", "Where", "Relu", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Neg",
        "Abs", "Reciprocal", "Floor", "Ceil", "Round", "Erf", "Softplus", "Softsign", "Sign", "Sin", "Cos", "Identity",
        "Clip", "LeakyRelu", "Elu", "Selu", "HardSigmoid", "HardSwish", "Shrink", "ThresholdedRelu", "Celu", "Cast",
        "Softmax", "LogSoftmax", "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare",
        "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ArgMax", "ArgMin", "Reshape", "Flatten", "Squeeze", "Unsqueeze",
        "Transpose", "Concat", "Split", "Slice", "Pad", "Gather", "Expand", "Tile", "DepthToSpace", "SpaceToDepth",
        "Resize", "Shape", "Size", "ConstantOfShape", "Range",
    ];

    /// <summary>Cases outside what the canonical ops promise (documented unsupported modes and element types).</summary>
    private static readonly HashSet<string> ExpectedUnsupported =
    [
        "test_identity_opt", "test_identity_sequence", // optional and sequence values
        "test_resize_tf_crop_and_resize", // needs roi
    ];

    [Fact]
    public void SingleNodeCasesMatchReferenceOutputs()
    {
        string? root = FindShared();
        if (root is null)
        {
            output.WriteLine("../shared/conformance/onnx/node not found; skipping");
            return;
        }
        var passed = new List<string>();
        var unsupported = new List<string>();
        var failures = new List<string>();
        var folders = new[] { "node", "simple", "pytorch-operator", "pytorch-converted" }
            .Select(f => Path.Combine(root, "..", f)).Where(Directory.Exists);
        foreach (var dir in folders.SelectMany(Directory.GetDirectories).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            var graph = OnnxFiles.Model(File.ReadAllBytes(Path.Combine(dir, "model.onnx")));
            if (graph.Nodes.Count != 1 || graph.Nodes[0].Domain is not ("" or "ai.onnx") || !Families.Contains(graph.Nodes[0].OpType)) continue;
            string? outcome;
            try
            {
                outcome = RunCase(dir, graph);
            }
            catch (ShapeException e)
            {
                outcome = "shape: " + e.Message;
            }
            catch (Exception e)
            {
                outcome = $"{e.GetType().Name}: {e.Message}";
            }
            if (outcome is null) passed.Add(name);
            else if (outcome.StartsWith("unsupported", StringComparison.Ordinal) || ExpectedUnsupported.Contains(name)) unsupported.Add($"{name}: {outcome}");
            else failures.Add($"{name}: {outcome}");
        }
        output.WriteLine($"passed {passed.Count}, unsupported {unsupported.Count}, failed {failures.Count}");
        foreach (var u in unsupported) output.WriteLine("  unsupported " + u);
        foreach (var f in failures) output.WriteLine("  FAILED " + f);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(passed.Count > 250, $"only {passed.Count} cases ran");
    }

    private static string? FindShared()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Atc.sln"))) dir = dir.Parent;
        // ../shared next to the repository; a worktree one level deeper finds it further up.
        for (var parent = dir?.Parent; parent is not null; parent = parent.Parent)
        {
            string path = Path.Combine(parent.FullName, "shared", "conformance", "onnx", "node");
            if (Directory.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>Runs one case; null when it matches, otherwise what went wrong ("unsupported ..." for element types we lack).</summary>
    private static string? RunCase(string dir, OnnxGraph graph)
    {
        var node = graph.Nodes[0];
        var data = Path.Combine(dir, "test_data_set_0");
        var feeds = new Dictionary<string, TensorData>(graph.Initializers);
        int inputIndex = 0;
        foreach (var input in graph.Inputs.Where(i => !graph.Initializers.ContainsKey(i)))
        {
            var t = OnnxFiles.Tensor(File.ReadAllBytes(Path.Combine(data, $"input_{inputIndex++}.pb")), out _);
            if (t is null) return "unsupported element type of input " + input;
            feeds[input] = t;
        }
        var expected = new List<TensorData>();
        for (int i = 0; i < node.Outputs.Count; i++)
        {
            string file = Path.Combine(data, $"output_{i}.pb");
            if (!File.Exists(file)) break;
            var t = OnnxFiles.Tensor(File.ReadAllBytes(file), out _);
            if (t is null) return "unsupported element type of output " + i;
            expected.Add(t);
        }

        var inputs = node.Inputs.Select(n => n.Length == 0 ? null : feeds.GetValueOrDefault(n)).ToList();
        if (node.Inputs.Any(n => n.Length > 0 && !feeds.ContainsKey(n))) return "unsupported: input not found";
        var attributes = new OpAttributes();
        foreach (var a in node.Attributes)
        {
            AttributeValue? value = a.Type switch
            {
                1 => new AttributeValue(a.F),
                2 => new AttributeValue(a.I),
                3 => new AttributeValue(a.S),
                4 => a.T is null ? null : new AttributeValue(a.T),
                6 => new AttributeValue(a.Floats.ToArray()),
                7 => new AttributeValue(a.Ints.ToArray()),
                _ => null,
            };
            if (value is null) return $"unsupported attribute {a.Name}";
            attributes.Set(a.Name, value);
        }
        Adapt(node.OpType, graph.Opset, attributes, inputs);

        // Inputs fed from test data are run-time values, except where the canonical op wants a constant.
        var results = OpTester.RunMany(node.OpType, attributes, [.. inputs], null, node.Outputs.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            string? mismatch = Compare(expected[i], results[i]);
            if (mismatch is not null) return $"output {i}: {mismatch}";
        }
        return null;
    }

    /// <summary>What an importer does to map ONNX versions onto the canonical ops.</summary>
    private static void Adapt(string opType, long opset, OpAttributes attributes, List<TensorData?> inputs)
    {
        if (opType is "Softmax" or "LogSoftmax" && opset < 13)
        {
            attributes.Set("legacy", 1);
            if (!attributes.Has("axis")) attributes.Set("axis", 1);
        }
        if (opType == "Resize" && opset >= 11 && inputs.Count > 1) inputs.RemoveAt(1); // X, roi, scales, sizes → X, scales, sizes
        if (opType == "Split" && attributes.Has("num_outputs")) attributes.Remove("num_outputs");
        // PRelu before opset 7 applies a 1-D slope per channel (axis 1); canonical PRelu broadcasts numpy-style.
        if (opType == "PRelu" && opset < 7 && inputs[1] is { Rank: 1 } slope && inputs[0] is { Rank: > 2 } x && slope.Dims[0] == x.Dims[1])
            inputs[1] = new TensorData(slope.Type, [slope.Dims[0], .. Enumerable.Repeat(1, x.Rank - 2)], slope.Bytes);
    }

    private static string? Compare(TensorData expected, TensorData actual)
    {
        if (!expected.Dims.AsSpan().SequenceEqual(actual.Dims))
            return $"dims {Shape.Format(actual.Dims)}, expected {Shape.Format(expected.Dims)}";
        if (expected.Type != actual.Type) return $"type {actual.Type.Name()}, expected {expected.Type.Name()}";
        if (expected.Type is DataType.Float32 or DataType.Float64)
        {
            var e = expected.Type == DataType.Float32 ? expected.AsSpan<float>().ToArray().Select(v => (double)v).ToArray() : expected.AsSpan<double>().ToArray();
            var a = actual.Type == DataType.Float32 ? actual.AsSpan<float>().ToArray().Select(v => (double)v).ToArray() : actual.AsSpan<double>().ToArray();
            for (int i = 0; i < e.Length; i++)
            {
                if (double.IsNaN(e[i]) && double.IsNaN(a[i])) continue;
                if (e[i] == a[i]) continue;
                if (!(Math.Abs(e[i] - a[i]) <= 1e-7 + 1e-3 * Math.Abs(e[i]))) return $"element {i}: {a[i]}, expected {e[i]}";
            }
            return null;
        }
        return expected.Bytes.Span.SequenceEqual(actual.Bytes.Span) ? null : "values differ";
    }
}
