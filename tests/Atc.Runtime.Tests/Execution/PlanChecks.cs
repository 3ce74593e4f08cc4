using Atc.Runtime.Execution;

namespace Atc.Tests.Execution;

/// <summary>Checks a plan's arena by simulation: a value read by a step still owns all of its arena bytes.</summary>
internal static class PlanChecks
{
    public static void AssertNoLiveOverlap(ModelGraph graph, ExecutionPlan plan)
    {
        int n = graph.Values.Length;
        var storage = new int[n];
        Array.Fill(storage, -1);
        var steps = plan.Steps.ToHashSet();
        for (int i = 0; i < graph.Nodes.Length; i++)
        {
            var node = graph.Nodes[i];
            foreach (int o in node.Outputs)
            {
                if (plan.Values[o].Kind != PlacementKind.Arena) continue;
                if (steps.Contains(i)) { storage[o] = o; continue; }
                // Not a step but in the arena: an alias of its first input, at the same offset.
                int src = node.Inputs[0];
                Assert.Equal(PlacementKind.Arena, plan.Values[src].Kind);
                Assert.Equal(plan.Values[src].Offset, plan.Values[o].Offset);
                storage[o] = storage[src];
            }
        }

        var owner = new int[(plan.ArenaSize + 63) / 64];
        Array.Fill(owner, -1);
        IEnumerable<long> Blocks(int v)
        {
            var p = plan.Values[v];
            Assert.Equal(0, p.Offset % 64);
            Assert.True(p.Offset + p.ByteSize <= plan.ArenaSize, $"value {v} ends past the arena");
            for (long b = p.Offset / 64; b < (p.Offset + p.ByteSize + 63) / 64; b++) yield return b;
        }
        void CheckInputs(GraphNode node)
        {
            foreach (int u in node.Inputs)
                if (u >= 0 && plan.Values[u].Kind == PlacementKind.Arena)
                    foreach (long b in Blocks(u))
                        Assert.True(owner[b] == storage[u], $"step '{node.Name}' reads value {u} but block {b} belongs to {owner[b]}");
        }
        foreach (int i in plan.Steps)
        {
            var node = graph.Nodes[i];
            CheckInputs(node);
            foreach (int o in node.Outputs)
                if (plan.Values[o].Kind == PlacementKind.Arena)
                    foreach (long b in Blocks(o)) owner[b] = storage[o];
            CheckInputs(node);
            // Outputs of one step never share bytes.
            var written = node.Outputs.Where(o => plan.Values[o].Kind == PlacementKind.Arena).SelectMany(Blocks).ToList();
            Assert.Equal(written.Count, written.Distinct().Count());
        }
    }
}
