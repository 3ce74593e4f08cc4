using System.Text;
using Atc.Compiler.Driver;
using Atc.Compiler.Emit;
using Atc.Compiler.Frontends;
using Atc.Compiler.Ir;
using Atc.Compiler.Shapes;
using Atc.Options.Parsing;
using Atc.Runtime;
using Atc.Runtime.Operators;

namespace Atc.Cli.Tests.Support;

/// <summary>
/// A pipeline with a hand-built model in place of the front end and a recording emitter, so that the CLI and the
/// driver are tested without depending on the importers and the emitter.
/// </summary>
public sealed class FakePipeline
{
    public FakePipeline(string inputName = "Inputs", long[]? inputShape = null)
    {
        InputName = inputName;
        InputShape = inputShape ?? [-1, 224, 224, 3];
    }

    public string InputName { get; }
    public long[] InputShape { get; }
    public List<(Graph Graph, GearSet Gears, EmitOptions Options)> Emitted { get; } = [];
    public Func<byte[]>? EmitOverride { get; set; }
    public int Imports { get; private set; }

    /// <summary>Input → Relu ("relu") → Softmax ("prob"): two nodes, so --out_nodes can pick the first.</summary>
    public Graph BuildGraph()
    {
        var graph = new Graph { Name = "fake", SourceFramework = "tensorflow" };
        var input = new Value(InputName + ":0", DataType.Float32, InputShape.ToArray());
        graph.Inputs.Add(input);
        var relu = graph.AddNode(new Node("relu", OpTypes.Relu, [input]));
        var reluOut = relu.AddOutput("relu:0", DataType.Float32, InputShape.ToArray());
        var prob = graph.AddNode(new Node("prob", OpTypes.Softmax, [reluOut]));
        graph.Outputs.Add(prob.AddOutput("prob:0", DataType.Float32, InputShape.ToArray()));
        return graph;
    }

    public CompilerServices Services => new()
    {
        CreateImporter = (framework, _) => new Importer(this),
        Optimize = (_, _) => { },
        Emit = (graph, gears, options) =>
        {
            Emitted.Add((graph, gears, options));
            var bytes = EmitOverride?.Invoke() ?? Encoding.ASCII.GetBytes("IMOD fake om: " + gears.Kind + " " + gears.Gears.Count);
            return new CompiledModel("fake", options.SocVersion, new ModelSignature([], [], ModelGearKind.Static, [], []), gears, [], 0, 0, bytes, null);
        },
        DumpJson = (bytes, path) => "{\"fake\": \"" + Encoding.ASCII.GetString(bytes) + "\"}",
        DescribeJson = compiled => "{\"fake\": \"" + Encoding.ASCII.GetString(compiled.OmBytes) + "\"}",
    };

    private sealed class Importer(FakePipeline owner) : IModelImporter
    {
        public Graph Import(byte[] model, string path, IReadOnlyList<OutNodeSpec> outNodes)
        {
            owner.Imports++;
            var graph = owner.BuildGraph();
            if (outNodes.Count == 0) return graph;
            // What a real importer does on its source graph: check the names, then keep only what the outputs need.
            OutNodeSelection.Check(outNodes, graph.Nodes.ToDictionary(n => n.Name, n => n.Outputs.Count));
            graph.Outputs.Clear();
            foreach (var spec in outNodes) graph.Outputs.Add(graph.Nodes.Single(n => n.Name == spec.NodeName).Outputs[spec.OutputIndex]);
            if (outNodes.All(o => o.NodeName == "relu")) graph.Nodes.RemoveAll(n => n.Name == "prob");
            return graph;
        }
    }
}
