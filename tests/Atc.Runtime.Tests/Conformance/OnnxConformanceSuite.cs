using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Conformance;

/// <summary>
/// Runs the ONNX backend-test data (../shared/conformance/onnx) through the whole pipeline: OnnxImporter → one static
/// gear from the fed input shapes → PassPipeline → OmEmitter → InferenceModel → session, then compares every output
/// with the stored reference, bound by position. Tolerance is upstream's default: numpy assert_allclose with
/// rtol 1e-3, atol 1e-7 (light/densenet121: rtol 2e-3, as in onnx/backend/test/case/model).
/// </summary>
internal static class OnnxConformanceSuite
{
    public const double Rtol = 1e-3, Atol = 1e-7;

    public static readonly string[] Folders = ["light", "simple", "pytorch-converted", "pytorch-operator", "node"];

    /// <summary>Every case of a folder, in name order; null (after printing why) when the shared data is absent.</summary>
    public static IReadOnlyList<CaseOutcome>? RunFolder(string folder)
    {
        if (SharedData.Find(Path.Combine("conformance", "onnx")) is not { } root) return null;
        string dir = Path.Combine(root, folder);
        if (!Directory.Exists(dir))
        {
            Console.WriteLine($"skipped: {dir} is absent");
            return null;
        }
        return folder == "light"
            ? [.. Directory.GetFiles(dir, "light_*.onnx").Order(StringComparer.Ordinal).Select(RunLight)]
            : [.. Directory.GetDirectories(dir).Order(StringComparer.Ordinal).Where(d => File.Exists(Path.Combine(d, "model.onnx"))).Select(d => RunCase(folder, d))];
    }

    /// <summary>A simple/pytorch-*/node case: model.onnx with test_data_set_0/input_k.pb and output_k.pb. When a
    /// fed input is a shape-like operand the importer or planner needs as a constant, the case runs again with that input frozen
    /// (see <see cref="OnnxInputFreezer"/>) and says so in its outcome.</summary>
    private static CaseOutcome RunCase(string folder, string caseDir)
    {
        string name = Path.GetFileName(caseDir);
        return CaseClassifier.Run(folder, name, () =>
        {
            string data = Path.Combine(caseDir, "test_data_set_0"), modelPath = Path.Combine(caseDir, "model.onnx");
            byte[] model = File.ReadAllBytes(modelPath);
            var proto = ModelProto.Parser.ParseFrom(model);
            // Fed inputs bind by position to graph.input minus initializers (the importer's graph inputs).
            var initializers = proto.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            var inputNames = proto.Graph.Input.Select(i => i.Name).Where(n => !initializers.Contains(n)).ToArray();
            var inputFiles = NumberedFiles(data, "input").ToArray();
            if (inputFiles.Length != inputNames.Length)
                throw new InvalidDataException($"{inputFiles.Length} input files for {inputNames.Length} graph inputs ({string.Join(", ", inputNames)})");
            var fed = inputNames.Zip(inputFiles, (n, f) => (n, Proto: TensorProto.Parser.ParseFrom(File.ReadAllBytes(f))))
                .ToDictionary(p => p.n, p => p.Proto, StringComparer.Ordinal);
            var frozen = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
            while (true)
            {
                byte[] variant = frozen.Count == 0 ? model : OnnxInputFreezer.Freeze(model, frozen);
                Graph graph;
                try
                {
                    graph = ModelPipeline.ImportOnnx(variant, modelPath);
                }
                catch (AtcException e) when (Unfrozen(OnnxInputFreezer.ComputedOperands(e, proto), fed, frozen) is { Count: > 0 } more)
                {
                    foreach (var input in more) frozen[input] = fed[input];
                    continue;
                }
                try
                {
                    var outcome = Run(folder, name, graph,
                        [.. graph.Inputs.Select(v => OnnxTensorFile.FromProto(fed[v.Name], v.Name))],
                        () => [.. NumberedFiles(data, "output").Select(OnnxTensorFile.Read)], Rtol);
                    return frozen.Count == 0 ? outcome : outcome with
                    {
                        FrozenInputs = [.. frozen.Keys],
                        Detail = $"with inputs {string.Join(", ", frozen.Keys)} frozen: {outcome.Detail}",
                    };
                }
                catch (AtcException e) when (Unfrozen(OnnxInputFreezer.InputsBehind(e, graph), fed, frozen) is { Count: > 0 } more)
                {
                    foreach (var input in more) frozen[input] = fed[input];
                }
            }
        });
    }

    private static List<string> Unfrozen(IEnumerable<string> inputs, Dictionary<string, TensorProto> fed, Dictionary<string, TensorProto> frozen)
        => [.. inputs.Where(i => fed.ContainsKey(i) && !frozen.ContainsKey(i))];

    /// <summary>A light/ model: no stored input; the runner's dummy input is arange(n)/n in float32 (see the README).</summary>
    private static CaseOutcome RunLight(string modelPath)
    {
        string name = Path.GetFileNameWithoutExtension(modelPath)["light_".Length..];
        return CaseClassifier.Run("light", name, () =>
        {
            double rtol = name == "densenet121" ? 2e-3 : Rtol;
            var graph = ModelPipeline.ImportOnnx(File.ReadAllBytes(modelPath), modelPath);
            return Run("light", name, graph, [.. graph.Inputs.Select(DummyInput)],
                () => [.. NumberedFiles(Path.GetDirectoryName(modelPath)!, $"light_{name}_output").Select(OnnxTensorFile.Read)], rtol);
        });
    }

    /// <summary>onnx.backend.test.runner generate_dummy_data(random=False): dims without a value become 1, and
    /// element i is float32(i / n) with the division in float64.</summary>
    internal static TensorData DummyInput(Value input)
    {
        if (input.Type != DataType.Float32) throw new NotSupportedException($"input '{input.Name}' is {input.Type.Name()}; the dummy-data generator only makes float32");
        var shape = input.Shape ?? throw new NotSupportedException($"input '{input.Name}' has no declared shape");
        int[] dims = [.. shape.Select(d => d < 0 ? 1 : checked((int)d))];
        long n = Shape.ElementCount(dims);
        var values = new float[n];
        for (long i = 0; i < n; i++) values[i] = (float)((double)i / n);
        return TensorData.Float(dims, values);
    }

    /// <summary>Compiles the imported graph for one static gear of the fed shapes, runs it and compares.</summary>
    private static CaseOutcome Run(string folder, string name, Graph graph, TensorData[] inputs, Func<TensorData[]> expectedOutputs, double rtol)
    {
        var gears = ModelPipeline.StaticGear(graph, [.. inputs.Select(t => t.Dims)]);
        Atc.Compiler.Passes.PassPipeline.Run(graph);
        if (ModelPipeline.MissingOperators(graph) is { Length: > 0 } missing)
            return new CaseOutcome(folder, name, CaseStatus.NoKernel, "no runtime operator for " + string.Join(", ", missing), missing, double.NaN);

        var model = ModelPipeline.Emit(graph, gears);
        using var session = model.CreateSession(new SessionOptions { ThreadCount = 1 });
        var actual = session.Run(inputs);
        return Compare(folder, name, actual, expectedOutputs(), (a, e) => TensorCompare.AllClose(a, e, rtol, Atol));
    }

    internal static CaseOutcome Compare(string folder, string name, TensorData[] actual, TensorData[] expected, Func<TensorData, TensorData, Comparison> compare)
    {
        if (actual.Length != expected.Length)
            return new CaseOutcome(folder, name, CaseStatus.Failed, $"{actual.Length} outputs, the reference has {expected.Length}", [], double.NaN);
        double worst = 0;
        var details = new List<string>();
        for (int k = 0; k < actual.Length; k++)
        {
            // NumPy has no bfloat16: the backend tests store bfloat16 references as their uint16 bits.
            var reference = actual[k].Type == DataType.BFloat16 && expected[k].Type == DataType.UInt16
                ? new TensorData(DataType.BFloat16, expected[k].Dims, expected[k].Bytes) : expected[k];
            var c = compare(actual[k], reference);
            worst = double.IsNaN(c.MaxAbsError) ? double.PositiveInfinity : Math.Max(worst, c.MaxAbsError);
            if (!c.Within)
                return new CaseOutcome(folder, name, CaseStatus.Failed, $"output {k}: {c.Detail}", [], c.MaxAbsError);
            details.Add(c.Detail);
        }
        return CaseOutcome.Pass(folder, name, worst, string.Join("; ", details));
    }

    /// <summary>prefix_0.pb, prefix_1.pb, ... in index order (stops at the first gap).</summary>
    private static IEnumerable<string> NumberedFiles(string dir, string prefix)
    {
        for (int k = 0; ; k++)
        {
            string path = Path.Combine(dir, $"{prefix}_{k}.pb");
            if (!File.Exists(path)) yield break;
            yield return path;
        }
    }
}
