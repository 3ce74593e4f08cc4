using Atc.Compiler.Emit;
using Atc.Compiler.Frontends;
using Atc.Compiler.Frontends.Onnx;
using Atc.Compiler.Frontends.TensorFlow;
using Atc.Compiler.Ir;
using Atc.Compiler.Passes;
using Atc.Compiler.Shapes;
using Atc.Options;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Tests.TestSupport;

/// <summary>
/// The whole compile path as the atc driver runs it, step by step so that tests can classify where a model stops:
/// import → gears → PassPipeline → OmEmitter → InferenceModel.Load.
/// </summary>
internal static class ModelPipeline
{
    public static Graph ImportOnnx(byte[] model, string path) => Import(new OnnxImporter(), model, path);

    public static Graph ImportTensorFlow(byte[] model, string path) => Import(new TensorFlowImporter(), model, path);

    private static Graph Import(IModelImporter importer, byte[] model, string path) => importer.Import(model, path);

    /// <summary>One gear with these concrete input shapes, bound to the graph's inputs by position.</summary>
    public static GearSet StaticGear(Graph graph, IReadOnlyList<int[]> shapes)
    {
        if (shapes.Count != graph.Inputs.Count)
            throw new ArgumentException($"graph has {graph.Inputs.Count} inputs ({string.Join(", ", graph.Inputs.Select(v => v.Name))}); {shapes.Count} shapes given");
        var byName = graph.Inputs.Select((v, k) => (v.Name, shapes[k])).ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal);
        return GearSet.Static(new Gear(byName, []));
    }

    /// <summary>--dynamic_batch_size: one gear per batch size, axis 0 of every input free (-1 in the declared shape).</summary>
    public static GearSet BatchGears(Graph graph, params int[] batches)
    {
        var gears = batches.Select(batch => new Gear(graph.Inputs.ToDictionary(v => v.Name, v => WithBatch(v, batch), StringComparer.Ordinal), [batch])).ToList();
        return new GearSet(GearKind.Batch, gears, []);
    }

    private static int[] WithBatch(Value input, int batch)
    {
        var shape = input.Shape ?? throw new ArgumentException($"input '{input.Name}' has no declared shape");
        if (shape.Length == 0 || shape[0] != -1 || shape.Skip(1).Any(d => d < 0))
            throw new ArgumentException($"input '{input.Name}' {Shape.Format(shape)} is not [-1, fixed dims...]");
        return [batch, .. shape.Skip(1).Select(d => (int)d)];
    }

    /// <summary>Op types of the graph that this runtime has no operator for, in order of first use.</summary>
    public static string[] MissingOperators(Graph graph)
        => [.. graph.Nodes.Select(n => n.OpType).Distinct().Where(op => !OperatorRegistry.IsSupported(op))];

    /// <summary>Optimises the graph in place, emits the .om and loads it.</summary>
    public static InferenceModel Compile(Graph graph, GearSet gears)
    {
        PassPipeline.Run(graph);
        return Emit(graph, gears);
    }

    /// <summary>Emits an already optimised graph and loads the bytes.</summary>
    public static InferenceModel Emit(Graph graph, GearSet gears)
    {
        byte[] om = OmEmitter.Emit(graph, gears, new EmitOptions(graph.Name, "Ascend310", graph.SourceFramework));
        return InferenceModel.Load(om);
    }

    /// <summary>Seeded uniform values in [-1, 1).</summary>
    public static float[] RandomUniform(int seed, int count)
    {
        var random = new Random(seed);
        var data = new float[count];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }
}
