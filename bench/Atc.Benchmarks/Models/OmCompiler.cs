using Atc.Compiler.Emit;
using Atc.Compiler.Frontends.Onnx;
using Atc.Compiler.Passes;
using Atc.Compiler.Shapes;
using Atc.Options;

namespace Atc.Benchmarks.Models;

/// <summary>
/// ONNX bytes → .om bytes with batch gears (ATC's --dynamic_batch_size), the way the compile driver does it:
/// import, optimise, plan and emit every gear. Any failure becomes a <see cref="BenchmarkSetupException"/> that
/// names the model and the step, so an operator the runtime does not implement yet reads as such.
/// </summary>
public static class OmCompiler
{
    public static byte[] Compile(string modelName, byte[] onnx, IReadOnlyList<int> batches)
    {
        string step = "import";
        try
        {
            var graph = new OnnxImporter().Import(onnx, modelName + ".onnx");
            step = "optimise";
            PassPipeline.Run(graph);
            step = "plan and emit";
            return OmEmitter.Emit(graph, BatchGears(graph, batches), new EmitOptions(modelName, "Ascend310", "onnx"));
        }
        catch (Exception e) when (e is AtcException or InvalidOperationException or NotSupportedException or KeyNotFoundException or ArgumentException)
        {
            throw new BenchmarkSetupException($"model '{modelName}' does not compile ({step}, gears {string.Join(",", batches)}): {OneLine(e.Message)}", e);
        }
    }

    /// <summary>One gear per batch size: the batch axis (axis 0, declared -1) of every input set to it.</summary>
    private static GearSet BatchGears(Atc.Compiler.Ir.Graph graph, IReadOnlyList<int> batches)
    {
        var gears = batches.Select(batch => new Gear(
            graph.Inputs.ToDictionary(v => v.Name, v =>
            {
                var dims = v.Shape ?? throw new BenchmarkSetupException($"input '{v.Name}' has no declared shape");
                return dims.Select((d, i) => i == 0 ? batch : checked((int)d)).ToArray();
            }, StringComparer.Ordinal),
            [batch])).ToList();
        return new GearSet(GearKind.Batch, gears, []);
    }

    internal static string OneLine(string text) => text.Replace("\r", "").Replace('\n', ' ');
}

/// <summary>A benchmark cannot be prepared (model does not compile, operator missing, ...). The message is the
/// whole story; BenchmarkDotNet prints it for the failing case and goes on with the others.</summary>
public sealed class BenchmarkSetupException(string message, Exception? inner = null) : Exception(message, inner);
