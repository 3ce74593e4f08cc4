using System.Text;
using Atc.Compiler.Emit;
using Atc.Compiler.Frontends.Onnx;
using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Compiler.Shapes;
using Atc.Options;
using Atc.Runtime;
using Atc.Tests.Onnx;
using Xunit.Abstractions;

namespace Atc.Tests.Emit;

/// <summary>
/// ONNX backend-test cases through the whole pipeline: import, passes, emit (.om), load, run, compare with the
/// stored outputs. Every failure must be a coded diagnostic, never a crash of the format or the executor.
/// </summary>
public class OnnxEndToEndTests(ITestOutputHelper output)
{
    internal enum Result { Passed, NotImported, CompileError, RunError, Mismatch }

    internal sealed record Outcome(string Case, Result Result, string Detail);

    internal static Outcome RunCase(string dir)
    {
        string name = Path.GetFileName(dir);
        string modelPath = Path.Combine(dir, "model.onnx");
        Graph graph;
        try
        {
            graph = new OnnxImporter().Import(File.ReadAllBytes(modelPath), modelPath);
        }
        catch (AtcException e)
        {
            return new Outcome(name, Result.NotImported, e.Diagnostics[0].Code);
        }

        var data = Path.Combine(dir, "test_data_set_0");
        var reader = new OnnxTensorReader(modelPath);
        TensorData Load(string file) => reader.Read(TensorProto.Parser.ParseFrom(File.ReadAllBytes(file)), file);
        var inputs = graph.Inputs.Select((_, k) => Load(Path.Combine(data, $"input_{k}.pb"))).ToArray();
        var expected = graph.Outputs.Select((_, k) => Load(Path.Combine(data, $"output_{k}.pb"))).ToArray();
        var gear = new Gear(graph.Inputs.Select((v, k) => (v.Name, inputs[k].Dims)).ToDictionary(p => p.Name, p => p.Dims), []);

        byte[] om;
        try
        {
            PassPipeline.Run(graph);
            om = OmEmitter.Emit(graph, GearSet.Static(gear), new EmitOptions(name, "Ascend310", "onnx"));
        }
        catch (AtcException e)
        {
            return new Outcome(name, Result.CompileError, e.Diagnostics[0].ToString());
        }

        TensorData[] actual;
        try
        {
            var model = InferenceModel.Load(om);
            using var session = model.CreateSession(new SessionOptions { ThreadCount = 1 });
            actual = session.Run(inputs);
        }
        catch (Exception e) when (e is Runtime.Format.OmFormatException or InferenceInputException or Runtime.Execution.PlanningException)
        {
            return new Outcome(name, Result.RunError, e.GetType().Name + ": " + e.Message);
        }

        for (int k = 0; k < expected.Length; k++)
        {
            if (!expected[k].Dims.AsSpan().SequenceEqual(actual[k].Dims) || expected[k].Type != actual[k].Type)
                return new Outcome(name, Result.Mismatch, $"output {k}: {actual[k].Type.Name()}{Shape.Format(actual[k].Dims)}, expected {expected[k].Type.Name()}{Shape.Format(expected[k].Dims)}");
            if (expected[k].Type is DataType.Float32 or DataType.Float64)
            {
                double[] e = Doubles(expected[k]), a = Doubles(actual[k]);
                for (int i = 0; i < e.Length; i++)
                    if (a[i] != e[i] && !(Math.Abs(a[i] - e[i]) <= 1e-4 + 1e-3 * Math.Abs(e[i])) && !(double.IsNaN(a[i]) && double.IsNaN(e[i])))
                        return new Outcome(name, Result.Mismatch, $"output {k}[{i}] = {a[i]}, expected {e[i]}");
            }
            else if (!expected[k].Bytes.Span.SequenceEqual(actual[k].Bytes.Span))
                return new Outcome(name, Result.Mismatch, $"output {k} differs");
        }
        return new Outcome(name, Result.Passed, "");
    }

    private static double[] Doubles(TensorData t) => t.Type == DataType.Float64
        ? t.AsSpan<double>().ToArray()
        : Array.ConvertAll(t.AsSpan<float>().ToArray(), v => (double)v);

    [Fact]
    public void NodeCasesRunThroughTheWholePipeline()
    {
        if (OnnxTestPaths.ConformanceOnnx() is not { } root) return;
        var outcomes = new List<Outcome>();
        foreach (var folder in new[] { "node", "simple", "pytorch-converted", "pytorch-operator" })
            foreach (var dir in Directory.GetDirectories(Path.Combine(root, folder)).Order(StringComparer.Ordinal))
                if (File.Exists(Path.Combine(dir, "test_data_set_0", "input_0.pb")))
                    outcomes.Add(RunCase(dir) with { Case = folder + "/" + Path.GetFileName(dir) });

        var report = new StringBuilder();
        foreach (var group in outcomes.GroupBy(o => o.Result)) report.AppendLine($"{group.Key}: {group.Count()}");
        foreach (var o in outcomes.Where(o => o.Result is not (Result.Passed or Result.NotImported)))
            report.AppendLine($"  {o.Result} {o.Case}: {o.Detail}");
        output.WriteLine(report.ToString());
        // Reaching here means no case crashed: every failure was a coded diagnostic. Results must match where they run.
        Assert.DoesNotContain(outcomes, o => o.Result is Result.Mismatch or Result.RunError);
        Assert.True(outcomes.Count(o => o.Result == Result.Passed) >= 400, report.ToString());
    }
}
