using Atc.Compiler.Frontends;
using Atc.Compiler.Frontends.TensorFlow;
using Atc.Compiler.Ir;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Parsing;
using Atc.TestModels.TensorFlow;

namespace Atc.Compiler.Tests.TensorFlow;

/// <summary>Shared helpers: importing builder graphs, locating ../shared, and checking IR invariants.</summary>
internal static class TfTestSupport
{
    public static Graph Import(TfGraphBuilder builder, IReadOnlyList<(string, int)>? outNodes = null)
        => new TensorFlowImporter().Import(builder.ToBytes(), "test.pb", Specs(outNodes));

    public static Graph Import(byte[] bytes) => new TensorFlowImporter().Import(bytes, "test.pb");

    public static AtcDiagnostic ImportError(byte[] bytes, IReadOnlyList<(string, int)>? outNodes = null)
    {
        var e = Assert.Throws<AtcException>(() => new TensorFlowImporter().Import(bytes, "bad.pb", Specs(outNodes)));
        return Assert.Single(e.Diagnostics);
    }

    private static OutNodeSpec[] Specs(IReadOnlyList<(string Node, int Index)>? outNodes)
        => outNodes is null ? [] : [.. outNodes.Select(o => new OutNodeSpec(o.Node, o.Index))];

    public static AtcDiagnostic ImportError(TfGraphBuilder builder, IReadOnlyList<(string, int)>? outNodes = null)
        => ImportError(builder.ToBytes(), outNodes);

    /// <summary>The conformance folder ../shared/conformance/tf next to the repository (or next to an ancestor, for worktrees), or null when absent.</summary>
    public static string? ConformanceDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Atc.sln"))) continue;
            // ../shared next to the repository; a git worktree (e.g. /work/wt/x) sits one level deeper.
            for (var up = dir.Parent; up is not null; up = up.Parent)
            {
                var path = Path.Combine(up.FullName, "shared", "conformance", "tf");
                if (Directory.Exists(path)) return path;
            }
            return null;
        }
        return null;
    }

    public static Node NodeNamed(Graph g, string name) => Assert.Single(g.Nodes, n => n.Name == name);

    public static Value ValueNamed(Graph g, string name) => Assert.Single(g.AllValues(), v => v.Name == name);

    public static int Count(Graph g, string opType) => g.Nodes.Count(n => n.OpType == opType);

    /// <summary>Every node input is a graph input, a constant or the output of an earlier node; names are unique.</summary>
    public static void AssertWellFormed(Graph g)
    {
        var available = new HashSet<Value>(g.Inputs, ReferenceEqualityComparer.Instance);
        var nodeNames = new HashSet<string>(StringComparer.Ordinal);
        var valueNames = new HashSet<string>(g.Inputs.Select(v => v.Name), StringComparer.Ordinal);
        foreach (var node in g.Nodes)
        {
            Assert.True(nodeNames.Add(node.Name), $"duplicate node name {node.Name}");
            Assert.Contains(node.OpType, CanonicalOps);
            foreach (var input in node.Inputs)
                if (input is not null)
                    Assert.True(input.IsConstant || available.Contains(input), $"{node} reads {input.Name} before it is produced");
            foreach (var output in node.Outputs)
            {
                Assert.True(valueNames.Add(output.Name), $"duplicate value name {output.Name}");
                Assert.Same(node, output.Producer);
                available.Add(output);
            }
        }
        foreach (var output in g.Outputs) Assert.True(available.Contains(output) || output.IsConstant, $"output {output.Name} is not produced");
    }

    /// <summary>Every public constant string of OpTypes: the importer must emit nothing else.</summary>
    public static readonly HashSet<string> CanonicalOps = [.. typeof(Atc.Runtime.Operators.OpTypes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)];
}
