using System.Text.Json;
using Atc.Compiler.Shapes;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.IO;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Conformance;

/// <summary>
/// Runs the TensorFlow frozen GraphDefs of ../shared/conformance/tf: TensorFlowImporter → a Batch GearSet with the
/// fed shapes of every case in meta.json (b1 and b4) → PassPipeline → OmEmitter → InferenceModel, then each case on
/// its gear. Tolerance: |actual - expected| ≤ 1e-4·max|expected| + 1e-5 per output (the references come from
/// TensorFlow.js float32, whose summation order differs).
/// </summary>
internal static class TfConformanceSuite
{
    public const double Relative = 1e-4, Atol = 1e-5;

    /// <summary>One row per model and case ("tiny_cnn/b1"); null (after printing why) when the shared data is absent.</summary>
    public static IReadOnlyList<CaseOutcome>? Run()
    {
        if (SharedData.Find(Path.Combine("conformance", "tf")) is not { } root) return null;
        return [.. Directory.GetDirectories(root).Order(StringComparer.Ordinal)
            .Where(d => File.Exists(Path.Combine(d, "meta.json")))
            .SelectMany(RunModel)];
    }

    private sealed record FedCase(string Name, TensorData[] Inputs, string[] OutputFiles);

    private static CaseOutcome[] RunModel(string dir)
    {
        string model = Path.GetFileName(dir);
        var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "meta.json"))).RootElement;
        string[] caseNames = [.. meta.GetProperty("cases").EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal)];
        return CaseClassifier.Run("tf", [.. caseNames.Select(c => $"{model}/{c}")], () =>
        {
            var inputNames = meta.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToArray();
            var outputNames = meta.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()!).ToArray();
            var cases = caseNames.Select(c =>
            {
                var spec = meta.GetProperty("cases").GetProperty(c);
                return new FedCase(c,
                    [.. inputNames.Select(n => Npy.Read(Path.Combine(dir, spec.GetProperty("inputs").GetProperty(n).GetProperty("file").GetString()!)))],
                    [.. outputNames.Select(n => Path.Combine(dir, spec.GetProperty("outputs").GetProperty(n).GetProperty("file").GetString()!))]);
            }).ToList();

            string path = Path.Combine(dir, "model.pb");
            var graph = ModelPipeline.ImportTensorFlow(File.ReadAllBytes(path), path);
            if (!graph.Inputs.Select(v => v.Name).SequenceEqual(inputNames))
                throw new InvalidDataException($"graph inputs {string.Join(", ", graph.Inputs.Select(v => v.Name))}, meta.json names {string.Join(", ", inputNames)}");
            // --dynamic_batch_size over the cases' batch sizes: every fed shape is one gear.
            var gears = new GearSet(GearKind.Batch, [.. cases.Select(c => new Gear(
                inputNames.Select((n, k) => (n, c.Inputs[k].Dims)).ToDictionary(p => p.n, p => p.Dims, StringComparer.Ordinal),
                [c.Inputs[0].Dims.Length > 0 ? c.Inputs[0].Dims[0] : 1]))], []);

            Atc.Compiler.Passes.PassPipeline.Run(graph);
            if (ModelPipeline.MissingOperators(graph) is { Length: > 0 } missing)
                return [.. cases.Select(c => new CaseOutcome("tf", $"{model}/{c.Name}", CaseStatus.NoKernel, "no runtime operator for " + string.Join(", ", missing), missing, double.NaN))];

            var compiled = ModelPipeline.Emit(graph, gears);
            using var session = compiled.CreateSession(new SessionOptions { ThreadCount = 1 });
            return [.. cases.Select(c => RunCase($"{model}/{c.Name}", session, c))];
        });
    }

    private static CaseOutcome RunCase(string name, InferenceSession session, FedCase fed)
    {
        try
        {
            var actual = session.Run(fed.Inputs);
            var expected = fed.OutputFiles.Select(Npy.Read).ToArray();
            return OnnxConformanceSuite.Compare("tf", name, actual, expected, (a, e) => TensorCompare.ScaledClose(a, e, Relative, Atol));
        }
        catch (Exception e)
        {
            return CaseClassifier.FromException("tf", name, e);
        }
    }
}
