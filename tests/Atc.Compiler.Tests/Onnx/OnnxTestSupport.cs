using Atc.Compiler.Frontends;
using Atc.Compiler.Frontends.Onnx;
using Atc.Compiler.Ir;
using Atc.Options;
using Atc.TestModels.Onnx;

namespace Atc.Tests.Onnx;

/// <summary>Imports builder models and inspects the IR in tests.</summary>
internal static class OnnxTestSupport
{
    public static Graph Import(OnnxModelBuilder b, string path = "model.onnx") => new OnnxImporter().Import(b.ToBytes(), path);

    public static Graph Import(byte[] model, string path = "model.onnx") => new OnnxImporter().Import(model, path);

    /// <summary>The diagnostic an import fails with (exactly one), asserting its code.</summary>
    public static AtcDiagnostic ImportFails(byte[] model, string code, string path = "model.onnx")
    {
        var e = Assert.Throws<AtcException>(() => new OnnxImporter().Import(model, path));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(code, d.Code);
        return d;
    }

    public static AtcDiagnostic ImportFails(OnnxModelBuilder b, string code, string path = "model.onnx") => ImportFails(b.ToBytes(), code, path);

    public static Node Single(this Graph g, string opType) => Assert.Single(g.Nodes, n => n.OpType == opType);

    public static Node Producer(this Graph g, string valueName)
        => Assert.Single(g.Nodes, n => n.Outputs.Any(o => o.Name == valueName));

    /// <summary>Every node input is a graph input, a constant, or the output of an earlier node.</summary>
    public static void AssertTopological(Graph g)
    {
        var available = new HashSet<Value>(g.Inputs, ReferenceEqualityComparer.Instance);
        foreach (var node in g.Nodes)
        {
            foreach (var input in node.Inputs)
                if (input is not null)
                    Assert.True(input.IsConstant || available.Contains(input), $"{node} reads '{input.Name}' before it is defined");
            foreach (var output in node.Outputs) available.Add(output);
        }
        foreach (var output in g.Outputs)
            Assert.True(output.IsConstant || available.Contains(output), $"graph output '{output.Name}' is not defined");
    }
}
