using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Atc.Runtime.Core;
using Atc.Runtime.Operators;

namespace Atc.Runtime.Execution;

/// <summary>
/// Plans one gear: infers every shape with the operators' own rules, folds what is known at plan time, keeps the
/// rest as steps, lets Reshape-like nodes alias their input, and assigns arena offsets by liveness.
/// </summary>
internal static class ExecutionPlanner
{
    /// <summary>Ops that only reinterpret their first input's bytes; their output may share its storage.</summary>
    private static readonly HashSet<string> AliasOps =
        new([OpTypes.Reshape, OpTypes.Identity, OpTypes.Squeeze, OpTypes.Unsqueeze, OpTypes.Flatten], StringComparer.Ordinal);

    public static ExecutionPlan Plan(ModelGraph graph, IReadOnlyList<int[]> inputShapes, OperatorResolver? resolver = null)
    {
        resolver ??= OperatorResolvers.Registry;
        if (inputShapes.Count != graph.Inputs.Length)
            throw new ArgumentException($"the model has {graph.Inputs.Length} inputs, {inputShapes.Count} shapes were given");
        string shapesText = graph.DescribeShapes(inputShapes);

        int valueCount = graph.Values.Length;
        var types = new TensorType?[valueCount];
        var known = new TensorData?[valueCount];
        for (int k = 0; k < graph.Inputs.Length; k++)
        {
            if (inputShapes[k].Any(d => d < 0))
                throw new ArgumentException($"input shape {Shape.Format(inputShapes[k])} has a negative dimension");
            types[graph.Inputs[k]] = new TensorType(graph.Values[graph.Inputs[k]].Type, [.. inputShapes[k]]);
        }
        for (int v = 0; v < valueCount; v++)
            if (graph.Constants[v] is { } c) { types[v] = new TensorType(c.Type, c.Dims); known[v] = c; }

        // 1. Shapes and folding, in node order. A node whose output size depends on run-time data, and every node
        //    downstream of one, is in the dynamic region: a step with no planned shapes (DynamicRegionShapes).
        var isStep = new bool[graph.Nodes.Length];
        var region = new DynamicRegionShapes(graph, types, known);
        for (int i = 0; i < graph.Nodes.Length; i++)
        {
            var node = graph.Nodes[i];
            if (!region.ReadsDynamic(node))
            {
                try
                {
                    isStep[i] = !InferAndFold(node, resolver, types, known);
                    continue;
                }
                catch (PlanningException) { throw; }
                catch (DataDependentShapeException) { }
                catch (Exception e)
                {
                    throw new PlanningException(node.Name, node.OpType, shapesText, e.Message);
                }
            }
            region.Add(node, resolver(node.OpType) ?? throw new PlanningException(node.Name, node.OpType, shapesText,
                $"operator '{node.OpType}' is not implemented by this runtime"));
            isStep[i] = true;
        }

        // 2. What runs: steps that (transitively) feed an output.
        var needed = new bool[valueCount];
        foreach (int o in graph.Outputs)
        {
            if (types[o] is null && !region.IsDynamic(o))
                throw new PlanningException(graph.Values[o].Name, "output", shapesText, "the output is not computed by any node");
            needed[o] = true;
        }
        var stepNeeded = new bool[graph.Nodes.Length];
        for (int i = graph.Nodes.Length - 1; i >= 0; i--)
        {
            var node = graph.Nodes[i];
            if (!isStep[i] || !node.Outputs.Any(o => needed[o])) continue;
            stepNeeded[i] = true;
            foreach (int input in node.Inputs) if (input >= 0) needed[input] = true;
        }

        var firstOutputIndex = new int[valueCount];
        Array.Fill(firstOutputIndex, -1);
        for (int k = graph.Outputs.Length - 1; k >= 0; k--) firstOutputIndex[graph.Outputs[k]] = k;

        // 3. Storage: each value's root is the value whose storage it uses (itself unless it is an alias).
        var root = Enumerable.Range(0, valueCount).ToArray();
        var producedByStep = new bool[valueCount];
        var steps = new List<int>();
        var readers = new int[valueCount];
        for (int i = 0; i < graph.Nodes.Length; i++)
            if (stepNeeded[i])
                foreach (int input in graph.Nodes[i].Inputs) if (input >= 0) readers[input]++;
        for (int i = 0; i < graph.Nodes.Length; i++)
        {
            if (!stepNeeded[i]) continue;
            var node = graph.Nodes[i];
            if (region.IsDynamicNode(node))
            {
                // Its storage is made when it runs; the static values it reads stay live until it has run (step 4).
                steps.Add(i);
                foreach (int o in node.Outputs) needed[o] = true;
                continue;
            }
            if (CanAlias(node, types, known, firstOutputIndex, graph.Constants))
            {
                root[node.Outputs[0]] = root[node.Inputs[0]];
                continue;
            }
            steps.Add(i);
            if (WritesIntoInput(node, types, firstOutputIndex, producedByStep, root, readers) is { } into)
            {
                // The step updates its "into" input in place: its output is that storage, not a new buffer.
                root[node.Outputs[0]] = into;
                needed[node.Outputs[0]] = true;
                continue;
            }
            foreach (int o in node.Outputs) { producedByStep[o] = true; needed[o] = true; }
        }

        // 4. Liveness of arena roots over step positions, then offsets.
        var first = new int[valueCount];
        var last = new int[valueCount];
        Array.Fill(first, -1);
        for (int s = 0; s < steps.Count; s++)
        {
            var node = graph.Nodes[steps[s]];
            foreach (int input in node.Inputs)
                if (input >= 0) last[root[input]] = Math.Max(last[root[input]], s);
            foreach (int o in node.Outputs)
            {
                if (root[o] != o) { last[root[o]] = Math.Max(last[root[o]], s); continue; }
                first[o] = s;
                last[o] = Math.Max(last[o], s);
            }
        }
        var intervals = new List<LiveInterval>();
        for (int v = 0; v < valueCount; v++)
            if (producedByStep[v] && firstOutputIndex[v] < 0)
                intervals.Add(new LiveInterval(v, types[v]!.ByteCount, first[v], Math.Max(first[v], last[v])));
        var (offsets, arenaSize) = ArenaAllocator.Allocate(intervals);
        var arenaOffset = new long[valueCount];
        for (int j = 0; j < intervals.Count; j++) arenaOffset[intervals[j].Id] = offsets[j];

        var inputIndex = new int[valueCount];
        Array.Fill(inputIndex, -1);
        for (int k = 0; k < graph.Inputs.Length; k++) inputIndex[graph.Inputs[k]] = k;

        // 5. Placements.
        var placements = new ValuePlacement[valueCount];
        for (int v = 0; v < valueCount; v++)
        {
            if (region.IsDynamic(v))
            {
                var (dynamicType, dims) = region.Declared(v);
                placements[v] = needed[v]
                    ? new ValuePlacement(PlacementKind.Dynamic, 0, dynamicType, dims)
                    : new ValuePlacement(PlacementKind.Unused, 0, dynamicType, []);
                continue;
            }
            var type = types[v] ?? new TensorType(graph.Values[v].Type, []);
            if (!needed[v]) { placements[v] = new ValuePlacement(PlacementKind.Unused, 0, type.Type, type.Dims); continue; }
            int r = root[v];
            placements[v] = r switch
            {
                _ when inputIndex[r] >= 0 => new ValuePlacement(PlacementKind.Input, inputIndex[r], type.Type, type.Dims),
                _ when graph.Constants[r] is not null => new ValuePlacement(PlacementKind.Weights, r, type.Type, type.Dims),
                _ when producedByStep[r] && firstOutputIndex[r] >= 0 => new ValuePlacement(PlacementKind.Output, firstOutputIndex[r], type.Type, type.Dims),
                _ when producedByStep[r] => new ValuePlacement(PlacementKind.Arena, arenaOffset[r], type.Type, type.Dims),
                _ => new ValuePlacement(PlacementKind.Folded, 0, type.Type, type.Dims, known[r]),
            };
        }
        return new ExecutionPlan([.. inputShapes.Select(s => s.ToArray())], [.. steps], placements, arenaSize);
    }

    /// <summary>Infers a node's outputs and folds it when possible; returns true when folded.</summary>
    private static bool InferAndFold(GraphNode node, OperatorResolver resolver, TensorType?[] types, TensorData?[] known)
    {
        var op = resolver(node.OpType) ?? throw new ShapeException($"operator '{node.OpType}' is not implemented by this runtime");
        var inputTypes = new TensorType?[node.Inputs.Length];
        var inputValues = new TensorData?[node.Inputs.Length];
        bool allConstant = true;
        for (int j = 0; j < node.Inputs.Length; j++)
        {
            int id = node.Inputs[j];
            if (id < 0) continue;
            inputTypes[j] = types[id] ?? throw new ShapeException($"input {j} is not computed before this node");
            inputValues[j] = known[id];
            allConstant &= known[id] is not null;
        }
        var context = new OpContext(node.Name, node.OpType, node.Attributes, inputTypes, inputValues, node.Outputs.Length);
        var outputs = op.InferOutputs(context);
        CheckOutputs(node, outputs);
        for (int j = 0; j < outputs.Length; j++) types[node.Outputs[j]] = outputs[j];

        if (node.Outputs.Length == 0) return false;
        if (FoldShapeOnly(node, context, outputs) is { } shapeValue)
        {
            known[node.Outputs[0]] = shapeValue;
            return true;
        }
        if (!allConstant || ConstantEvaluator.OutputBytes(outputs) > ConstantEvaluator.CapFor(node.OpType, ConstantEvaluator.MaxPerGearOutputBytes)
            || !ConstantEvaluator.RunsBounded(context)) return false;

        var folded = ConstantEvaluator.Run(op, context, outputs);
        for (int j = 0; j < outputs.Length; j++) known[node.Outputs[j]] = folded[j];
        return true;
    }

    private static void CheckOutputs(GraphNode node, TensorType[] outputs)
    {
        if (outputs is null || outputs.Length != node.Outputs.Length)
            throw new ShapeException($"the operator produced {outputs?.Length ?? 0} output types for {node.Outputs.Length} outputs");
        foreach (var t in outputs)
        {
            if (t is null || !DataTypes.IsDefined(t.Type) || t.Dims is null || t.Dims.Any(d => d < 0))
                throw new ShapeException($"the operator inferred an invalid output type {t}");
            long count = 1;
            foreach (int d in t.Dims)
            {
                count *= d;
                if (count > int.MaxValue) throw new ShapeException($"output {t} has more than {int.MaxValue} elements");
            }
        }
    }

    /// <summary>Shape and Size depend only on their input's shape, never on its data: computed here directly.</summary>
    private static TensorData? FoldShapeOnly(GraphNode node, OpContext context, TensorType[] outputs)
    {
        if (!context.HasInput(0) || outputs.Length != 1 || outputs[0].Type != DataType.Int64) return null;
        long[] values;
        if (node.OpType == OpTypes.Shape)
        {
            int[] dims = context.Input(0).Dims;
            int rank = dims.Length;
            long start = Clamp(node.Attributes.GetInt("start", 0), rank);
            long end = Clamp(node.Attributes.GetInt("end", rank), rank);
            values = [.. dims.Skip((int)start).Take((int)Math.Max(0, end - start)).Select(d => (long)d)];
        }
        else if (node.OpType == OpTypes.Size)
            values = [context.Input(0).ElementCount];
        else
            return null;
        if (outputs[0].ElementCount != values.Length)
            throw new ShapeException($"the inferred output {outputs[0]} does not hold the {values.Length} values of the input's shape");
        return TensorData.FromArray(DataType.Int64, outputs[0].Dims, values);

        static long Clamp(long axis, int rank) => Math.Clamp(axis < 0 ? axis + rank : axis, 0, rank);
    }

    /// <summary>Address of a pinned (POH) array's first element.</summary>
    internal static unsafe nint AddressOf(byte[] pinnedArray)
        => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinnedArray));

    /// <summary>
    /// A Conv writing a channel slice of an in-place Concat (input 4, "into", see OpTypes.Conv) may use its input's
    /// storage when nothing else reads that input and neither is a graph output; returns the input's value id.
    /// </summary>
    private static int? WritesIntoInput(GraphNode node, TensorType?[] types, int[] firstOutputIndex, bool[] producedByStep, int[] root, int[] readers)
    {
        if (node.OpType != OpTypes.Conv || node.Inputs.Length < 5 || node.Outputs.Length != 1) return null;
        int into = node.Inputs[4], output = node.Outputs[0];
        if (into < 0 || root[into] != into || !producedByStep[into] || readers[into] != 1) return null;
        if (firstOutputIndex[into] >= 0 || firstOutputIndex[output] >= 0) return null;
        if (Array.IndexOf(node.Inputs, into) != 4) return null;
        return types[into] is { } a && types[output] is { } b && a.Type == b.Type && a.ByteCount == b.ByteCount ? into : null;
    }

    private static bool CanAlias(GraphNode node, TensorType?[] types, TensorData?[] known, int[] firstOutputIndex, TensorData?[] weights)
    {
        if (!AliasOps.Contains(node.OpType) || node.Outputs.Length != 1 || node.Inputs.Length == 0) return false;
        int src = node.Inputs[0], dst = node.Outputs[0];
        if (src < 0 || firstOutputIndex[dst] >= 0) return false;
        // A folded value has no storage of its own at run time; only weights among the known values do.
        if (known[src] is not null && weights[src] is null) return false;
        var a = types[src]!;
        var b = types[dst]!;
        return a.Type == b.Type && a.ByteCount == b.ByteCount;
    }
}
