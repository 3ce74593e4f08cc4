using Atc.Runtime.Execution;
using Atc.Runtime.Operators;

namespace Atc.Runtime.Format;

/// <summary>
/// Re-derives the liveness of a stored plan and proves that no two values live at the same time share bytes of a
/// writable buffer (the arena or an output buffer). A file whose offsets were changed and re-sealed would otherwise
/// let one kernel overwrite another's live input, or hand TensorPrimitives partly overlapping spans.
/// </summary>
/// <remarks>
/// Values that share storage on purpose form one group: the output of a non-step node that views its first input
/// (Reshape and the other alias ops), and a Conv that writes its channel slice into its "into" input (input 4).
/// Both must have exactly the storage (buffer, offset, size) of the value they share. A group lives from the first
/// step that writes it to the last step that reads or writes it (graph outputs: to the end, where they are copied).
/// </remarks>
internal static class PlanStorageCheck
{
    private const int IntoInput = 4;

    public static void Check(ExecutionPlan plan, ModelGraph graph, string where)
    {
        var values = plan.Values;
        var group = new int[values.Length];
        for (int v = 0; v < group.Length; v++) group[v] = v;
        var stepOf = new int[graph.Nodes.Length];
        Array.Fill(stepOf, -1);
        for (int s = 0; s < plan.Steps.Length; s++) stepOf[plan.Steps[s]] = s;

        for (int i = 0; i < graph.Nodes.Length; i++)
        {
            var node = graph.Nodes[i];
            if (stepOf[i] >= 0)
            {
                if (node.OpType == OpTypes.Conv && node.Inputs.Length > IntoInput && node.Outputs.Length == 1
                    && node.Inputs[IntoInput] is int into and >= 0 && Writable(values[into]) && SameStorage(values[into], values[node.Outputs[0]]))
                    group[Find(group, node.Outputs[0])] = Find(group, into);
                continue;
            }
            foreach (int o in node.Outputs)
            {
                if (!Writable(values[o])) continue;
                // Not computed by a step: only a view of the node's first input may sit in a writable buffer.
                int source = node.Inputs.Length > 0 ? node.Inputs[0] : -1;
                if (node.Outputs.Length != 1 || source < 0 || !SameStorage(values[source], values[o]))
                    throw new OmFormatException($"{where}: value {o} ('{graph.Values[o].Name}') is placed in {Describe(values[o])} but no step "
                        + $"computes it and it is not a view of node '{node.Name}''s first input");
                group[Find(group, o)] = Find(group, source);
            }
        }

        // Liveness of each group over step positions.
        int end = plan.Steps.Length;
        var firstWrite = new int[values.Length];
        var lastUse = new int[values.Length];
        Array.Fill(firstWrite, int.MaxValue);
        Array.Fill(lastUse, -1);
        for (int s = 0; s < plan.Steps.Length; s++)
        {
            var node = graph.Nodes[plan.Steps[s]];
            foreach (int o in node.Outputs)
            {
                int g = Find(group, o);
                firstWrite[g] = Math.Min(firstWrite[g], s);
                lastUse[g] = Math.Max(lastUse[g], s);
            }
        }
        for (int s = 0; s < plan.Steps.Length; s++)
        {
            var node = graph.Nodes[plan.Steps[s]];
            foreach (int input in node.Inputs)
            {
                if (input < 0 || !Writable(values[input])) continue;
                int g = Find(group, input);
                if (firstWrite[g] >= s)
                    throw new OmFormatException($"{where}: step {s} (node '{node.Name}') reads value {input} ('{graph.Values[input].Name}') "
                        + $"in {Describe(values[input])} before any earlier step writes it");
                lastUse[g] = Math.Max(lastUse[g], s);
            }
        }
        foreach (int o in graph.Outputs)
            if (Writable(values[o]))
            {
                int g = Find(group, o);
                if (firstWrite[g] == int.MaxValue)
                    throw new OmFormatException($"{where}: output value {o} ('{graph.Values[o].Name}') in {Describe(values[o])} is never written by a step");
                lastUse[g] = end;
            }

        // Groups that are written, by buffer; any two that share bytes must not be live at the same time.
        var live = new List<int>();
        for (int v = 0; v < values.Length; v++)
            if (group[v] == v && firstWrite[v] != int.MaxValue && values[v].ByteSize > 0) live.Add(v);
        live.Sort((a, b) => Key(values[a]).CompareTo(Key(values[b])));
        for (int x = 0; x < live.Count; x++)
        {
            var a = values[live[x]];
            var (bufferA, startA) = Key(a);
            for (int y = x + 1; y < live.Count; y++)
            {
                var b = values[live[y]];
                var (bufferB, startB) = Key(b);
                if (bufferB != bufferA || startB >= startA + a.ByteSize) break;   // sorted by start: no later one overlaps a
                int ga = live[x], gb = live[y];
                if (firstWrite[ga] <= lastUse[gb] && firstWrite[gb] <= lastUse[ga])
                    throw new OmFormatException($"{where}: values {ga} ('{graph.Values[ga].Name}', bytes {startA}..{startA + a.ByteSize} of {Describe(a)}, "
                        + $"live at steps {firstWrite[ga]}..{lastUse[ga]}) and {gb} ('{graph.Values[gb].Name}', bytes {startB}..{startB + b.ByteSize}, "
                        + $"live at steps {firstWrite[gb]}..{lastUse[gb]}) overlap while both are live");
            }
        }
    }

    private static bool Writable(ValuePlacement p) => p.Kind is PlacementKind.Arena or PlacementKind.Output;

    private static bool SameStorage(ValuePlacement a, ValuePlacement b) => a.Kind == b.Kind && a.Offset == b.Offset && a.ByteSize == b.ByteSize;

    /// <summary>-1 for the arena, k for output buffer k.</summary>
    private static long Buffer(ValuePlacement p) => p.Kind == PlacementKind.Arena ? -1 : p.Offset;

    /// <summary>Byte position of a placement within its buffer (output buffers hold their value at byte 0).</summary>
    private static (long Buffer, long Offset) Key(ValuePlacement p) => (Buffer(p), p.Kind == PlacementKind.Arena ? p.Offset : 0);

    private static string Describe(ValuePlacement p) => p.Kind == PlacementKind.Arena ? "the arena" : $"output buffer {p.Offset}";

    private static int Find(int[] group, int v)
    {
        while (group[v] != v) v = group[v] = group[group[v]];
        return v;
    }
}
