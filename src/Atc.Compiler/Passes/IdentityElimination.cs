using Atc.Compiler.Ir;
using Atc.Runtime.Operators;

namespace Atc.Compiler.Passes;

/// <summary>
/// Removes data movement that does nothing: Identity nodes (Dropout and friends arrive lowered to Identity) are
/// bypassed; Reshape(Reshape(x, s1), s2) becomes Reshape(x, s2) when both shapes are constants; a Transpose of a
/// Transpose becomes one Transpose with the composed permutation, or nothing when the permutations are inverse.
/// A node whose output is a graph output stays when bypassing it would rename that output (Identity of an input).
/// </summary>
public sealed class IdentityElimination : IGraphPass
{
    public const string IdentitiesRemoved = "identities removed";
    public const string ReshapesCollapsed = "reshape chains collapsed";
    public const string TransposesCancelled = "transpose pairs cancelled";
    public const string TransposesMerged = "transpose pairs merged";
    public const string BypassedNodesRemoved = "bypassed nodes removed";

    public string Name => nameof(IdentityElimination);

    public PassResult Run(Graph graph)
    {
        var result = PassResult.Start(this, graph);
        GraphRewrites.UnshareAttributes(graph);
        while (Sweep(graph, result)) { }
        return result.Complete(graph);
    }

    /// <summary>One forward sweep. Every pattern is matched at its last node, so by the time a node is visited all
    /// rewrites of the nodes before it are done and one sweep reaches a fixed point; the loop is a safety net.</summary>
    private static bool Sweep(Graph graph, PassResult result)
    {
        var removed = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var bypassed = new HashSet<Node>(ReferenceEqualityComparer.Instance);

        foreach (var node in graph.Nodes.ToList())
        {
            switch (node.OpType)
            {
                case OpTypes.Identity when node.Inputs.Count >= 1 && node.Inputs[0] is { } input && node.Outputs.Count == 1:
                    if (GraphRewrites.TryReplace(graph, node.Outputs[0], input))
                    {
                        removed.Add(node);
                        result.Add(IdentitiesRemoved);
                    }
                    break;

                case OpTypes.Reshape when TryCollapseReshape(node) is { } inner:
                    bypassed.Add(inner);
                    result.Add(ReshapesCollapsed);
                    break;

                case OpTypes.Transpose when node.Inputs.Count >= 1 && node.Outputs.Count == 1
                                            && node.Inputs[0]?.Producer is { OpType: OpTypes.Transpose, Inputs: [{ } source, ..] } inner
                                            && ComposePermutations(inner, node) is { } composed:
                    if (IsIdentityPermutation(composed))
                    {
                        if (!GraphRewrites.TryReplace(graph, node.Outputs[0], source)) break;
                        removed.Add(node);
                        result.Add(TransposesCancelled);
                    }
                    else
                    {
                        node.Inputs[0] = source;
                        node.Attributes.Set("perm", composed);
                        result.Add(TransposesMerged);
                    }
                    bypassed.Add(inner);
                    break;
            }
        }

        graph.Nodes.RemoveAll(removed.Contains);

        // A node whose reader was rewired around it is gone only if nothing else reads it.
        var uses = GraphUses.Of(graph);
        int before = graph.Nodes.Count;
        graph.Nodes.RemoveAll(n => bypassed.Contains(n) && n.Outputs.All(uses.IsUnused));
        result.Add(BypassedNodesRemoved, before - graph.Nodes.Count);

        return removed.Count > 0 || bypassed.Count > 0;
    }

    /// <summary>Rewires Reshape(Reshape(x, s1), s2) to Reshape(x, s2) and returns the inner Reshape, or null.
    /// The outer shape must not copy a dim from its input (a 0 without allowzero), since the inner Reshape's
    /// dims are what it would copy.</summary>
    private static Node? TryCollapseReshape(Node outer)
    {
        if (outer.Inputs.Count < 2 || outer.Inputs[0]?.Producer is not { OpType: OpTypes.Reshape } inner) return null;
        if (inner.Inputs.Count < 2 || inner.Inputs[0] is not { } source) return null;
        if (inner.Inputs[1]?.Constant is null || outer.Inputs[1]?.Constant is not { } outerShape) return null;
        bool copiesDims = outer.Attributes.GetInt("allowzero", 0) == 0 && outerShape.ToInt64Array().Contains(0);
        if (copiesDims) return null;
        outer.Inputs[0] = source;
        return inner;
    }

    /// <summary>The single permutation equal to applying <paramref name="first"/> then <paramref name="second"/>:
    /// out[i] = in[first[second[i]]]. Null when a permutation is malformed or the ranks disagree.</summary>
    private static long[]? ComposePermutations(Node first, Node second)
    {
        long[] p1 = first.Attributes.GetInts("perm", []);
        long[] p2 = second.Attributes.GetInts("perm", []);
        int rank = p1.Length > 0 ? p1.Length : p2.Length;
        if (rank == 0)
        {
            // Reverse then reverse again is the identity at any rank; give it the input's rank if known.
            rank = first.Inputs[0]?.Shape?.Length ?? 0;
            var identity = new long[rank];
            for (int i = 0; i < rank; i++) identity[i] = i;
            return identity;
        }
        var a = Normalize(p1, rank);
        var b = Normalize(p2, rank);
        if (a is null || b is null) return null;
        var composed = new long[rank];
        for (int i = 0; i < rank; i++) composed[i] = a[b[i]];
        return composed;
    }

    /// <summary>Resolves an empty permutation (reverse) and negative entries; null unless it permutes 0..rank-1.</summary>
    private static long[]? Normalize(long[] perm, int rank)
    {
        if (perm.Length == 0)
        {
            var reverse = new long[rank];
            for (int i = 0; i < rank; i++) reverse[i] = rank - 1 - i;
            return reverse;
        }
        if (perm.Length != rank) return null;
        var seen = new bool[rank];
        var normalized = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long p = perm[i] < 0 ? perm[i] + rank : perm[i];
            if (p < 0 || p >= rank || seen[p]) return null;
            seen[p] = true;
            normalized[i] = p;
        }
        return normalized;
    }

    private static bool IsIdentityPermutation(long[] perm)
    {
        for (int i = 0; i < perm.Length; i++)
            if (perm[i] != i) return false;
        return true;
    }
}
