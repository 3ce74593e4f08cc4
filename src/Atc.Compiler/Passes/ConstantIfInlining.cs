using Atc.Compiler.Ir;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Passes;

/// <summary>
/// An If whose condition is a constant (after folding: exporters often branch on a shape or a flag) is replaced by
/// the nodes of the branch it selects: the branch's capture inputs are rewired to the If's inputs, its nodes are
/// moved into the graph (renamed under the If's name) and an Identity per output keeps the If's output values, which
/// the identity sweep that follows bypasses. The other branch is dropped.
/// </summary>
public sealed class ConstantIfInlining : IGraphPass
{
    public const string BranchesInlined = "constant-condition Ifs inlined";

    public string Name => nameof(ConstantIfInlining);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            if (node.OpType != OpTypes.If || node.Inputs[0]?.Constant is not { } cond || cond.ElementCount != 1) continue;
            string chosen = cond.Bytes.Span[0] != 0 ? "then_branch" : "else_branch";
            if (!node.Subgraphs.TryGetValue(chosen, out var branch) || branch.Inputs.Count != node.Inputs.Count - 1
                || branch.Outputs.Count != node.Outputs.Count) continue;
            var inlined = Inline(graph, node, branch);
            graph.Nodes.RemoveAt(i);
            graph.Nodes.InsertRange(i, inlined);
            i += inlined.Count - 1;
            result.Add(BranchesInlined);
        }
        return result.Complete(graph);
    }

    private static List<Node> Inline(Graph graph, Node node, Graph branch)
    {
        for (int k = 0; k < branch.Inputs.Count; k++) branch.ReplaceAllUses(branch.Inputs[k], node.Inputs[k + 1]!);
        var usedNodeNames = new HashSet<string>(graph.Nodes.Select(n => n.Name), StringComparer.Ordinal);
        var usedValueNames = new HashSet<string>(graph.AllValues().Select(v => v.Name), StringComparer.Ordinal);
        var moved = new List<Node>();
        foreach (var inner in branch.Nodes)
        {
            inner.Name = Fresh(usedNodeNames, $"{node.Name}/{inner.Name}");
            foreach (var v in inner.Outputs) v.Name = Fresh(usedValueNames, $"{node.Name}/{v.Name}");
            moved.Add(inner);
        }
        // The If's outputs keep their values (and names): an Identity from the branch's result to each.
        var outputs = node.Outputs.ToList();
        node.Outputs.Clear();
        for (int k = 0; k < outputs.Count; k++)
        {
            var identity = new Node(Fresh(usedNodeNames, $"{node.Name}/output_{k}"), OpTypes.Identity, [branch.Outputs[k]], null, node.SourceOpType);
            identity.AttachOutput(outputs[k]);
            moved.Add(identity);
        }
        return moved;
    }

    private static string Fresh(HashSet<string> used, string stem)
    {
        string name = stem;
        for (int k = 1; !used.Add(name); k++) name = $"{stem}_{k}";
        return name;
    }
}
