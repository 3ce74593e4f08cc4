using Atc.Compiler.Frontends.Onnx.Proto;
using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Compiler.Frontends.Onnx;

/// <summary>
/// ONNX bodies (If's branches, Loop's and Scan's body) may read any tensor of an enclosing graph by name. These are
/// a node's implicit inputs: they order the node after their producers and keep those producers alive.
/// </summary>
internal static class OnnxSubgraphScope
{
    /// <summary>Bodies inside bodies that an import follows; the protobuf parser bounds nesting too, this keeps the
    /// recursion over bodies short.</summary>
    public const int MaxNestingDepth = 16;

    /// <summary>The outer names a node's bodies read (in first-read order, without duplicates).</summary>
    public static IReadOnlyList<string> ImplicitInputs(NodeProto node, int depth = 0)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in node.Attribute)
        {
            IEnumerable<GraphProto> bodies = attribute.G is { } g ? [g, .. attribute.Graphs] : attribute.Graphs;
            foreach (var body in bodies)
                foreach (var name in FreeNames(body, depth + 1))
                    if (seen.Add(name)) names.Add(name);
        }
        return names;
    }

    /// <summary>Names a graph reads that it does not define itself (its inputs, initializers and node outputs).</summary>
    private static IEnumerable<string> FreeNames(GraphProto body, int depth)
    {
        if (depth > MaxNestingDepth)
            throw new AtcException(AtcErrors.InvalidModel($"control-flow bodies nest more than {MaxNestingDepth} levels deep (graph '{body.Name}')"));
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in body.Input) defined.Add(i.Name);
        foreach (var t in body.Initializer) defined.Add(t.Name);
        foreach (var n in body.Node)
            foreach (var o in n.Output)
                if (o.Length > 0) defined.Add(o);
        var free = new List<string>();
        foreach (var n in body.Node)
            foreach (var name in n.Input.Concat(ImplicitInputs(n, depth)))
                if (name.Length > 0 && !defined.Contains(name)) free.Add(name);
        foreach (var o in body.Output)
            if (!defined.Contains(o.Name)) free.Add(o.Name);
        return free;
    }
}
