using Atc.Runtime.Core;
using Atc.Runtime.Diagnostics;
using Atc.Runtime.Execution;
using Atc.Runtime.Format.Proto;
using Google.Protobuf;

namespace Atc.Runtime.Format;

/// <summary>
/// Reads an .om file and validates everything before anything is trusted: the container (header, checksum,
/// partition table), the protobuf partitions, every id, index, offset, size and data type. Any problem is an
/// <see cref="OmFormatException"/>; no other exception escapes for bad bytes.
/// </summary>
internal static class OmReader
{
    /// <summary>Constants are slices of <paramref name="file"/>: keep it alive (and pinned, for execution).</summary>
    /// <param name="verifyChecksum">False only for bytes whose integrity something else vouches for (a manifest resource
    /// of a loaded assembly); every structural check runs regardless.</param>
    public static OmModel Read(ReadOnlyMemory<byte> file, bool verifyChecksum = true)
    {
        OmPartitions parts;
        using (LoadPhase.Begin(LoadPhase.Container))
            parts = OmContainer.Read(file, verifyChecksum);
        ModelDef def;
        TaskInfo tasks;
        using (LoadPhase.Begin(LoadPhase.Protobuf))
        {
            def = Parse(ModelDef.Parser, parts.ModelDef, "MODEL_DEF");
            tasks = Parse(TaskInfo.Parser, parts.TaskInfo, "TASK_INFO");
        }

        using var graphPhase = LoadPhase.Begin(LoadPhase.GraphAndPlans);
        CheckHeaderAgrees(parts.Header, def);
        var (graph, constantAt) = ReadGraph(def, parts.Weights);
        var prepacked = ReadPrepacked(def, graph, parts.Weights);
        var inputs = ReadDescriptors(def.Inputs, graph, "input");
        var outputs = ReadDescriptors(def.Outputs, graph, "output");
        CheckSignatureIds(graph, def);
        var gearKind = OmGearKinds.FromProto(def.GearKind);
        var gears = ReadGears(def, inputs, outputs);
        var ranges = ReadRanges(def, inputs, gearKind);

        if (tasks.Plans.Count != gears.Length)
            throw new OmFormatException($"TASK_INFO has {tasks.Plans.Count} plans for {gears.Length} gears");
        var plans = new ExecutionPlan[gears.Length];
        for (int g = 0; g < gears.Length; g++)
            plans[g] = ReadPlan(tasks.Plans[g], g, graph, gears[g], constantAt);

        return new OmModel
        {
            Name = def.Name,
            SourceFramework = def.SourceFramework,
            SocVersion = def.SocVersion,
            Target = def.Target,
            ProducerVersion = def.ProducerVersion,
            Graph = graph,
            Inputs = inputs,
            Outputs = outputs,
            GearKind = gearKind,
            Gears = gears,
            Ranges = ranges,
            Plans = plans,
            OpsEstimate = def.OpsEstimate,
            Prepacked = prepacked,
            PrecisionMode = def.PrecisionMode,
        };
    }

    private static WeightStorageType StorageOf(Proto.WeightStorage storage, string where) => storage switch
    {
        Proto.WeightStorage.Float32 => WeightStorageType.Float32,
        Proto.WeightStorage.Float16 => WeightStorageType.Float16,
        Proto.WeightStorage.Bfloat16 => WeightStorageType.BFloat16,
        _ => throw new OmFormatException($"{where}: unknown weight storage {(int)storage}"),
    };

    /// <summary>The float32 bytes of stored weights: the file's own slice, or widened from 16-bit storage.</summary>
    private static ReadOnlyMemory<byte> Stored(ReadOnlyMemory<byte> bytes, Proto.WeightStorage storage, string where)
    {
        var type = StorageOf(storage, where);
        return type == WeightStorageType.Float32 ? bytes : WeightNarrowing.Widen(bytes.Span, type);
    }

    /// <summary>Longest layout key accepted: keys are short parameter lists, not data.</summary>
    public const int MaxPrepackedKeyLength = 1024;

    private static PrepackedBlob[] ReadPrepacked(ModelDef def, ModelGraph graph, ReadOnlyMemory<byte> weights)
    {
        var blobs = new PrepackedBlob[def.Prepacked.Count];
        for (int b = 0; b < blobs.Length; b++)
        {
            var p = def.Prepacked[b];
            string where = $"prepacked blob {b}";
            int node = OmChecks.Index(p.Node, graph.Nodes.Length, $"{where} node");
            var inputs = graph.Nodes[node].Inputs;
            int input = OmChecks.Index(p.Input, inputs.Length, $"{where} (node '{graph.Nodes[node].Name}') input");
            if (inputs[input] < 0 || graph.Constants[inputs[input]] is null)
                throw new OmFormatException($"{where}: input {input} of node '{graph.Nodes[node].Name}' is not a constant");
            if (p.Key.Length == 0 || p.Key.Length > MaxPrepackedKeyLength)
                throw new OmFormatException($"{where}: the key has {p.Key.Length} characters (1..{MaxPrepackedKeyLength})");
            if (b > 0)
            {
                var previous = def.Prepacked[b - 1];
                if (previous.Node > p.Node || previous.Node == p.Node && string.CompareOrdinal(previous.Key, p.Key) >= 0)
                    throw new OmFormatException($"{where}: blobs are not sorted and unique by (node, key) at node {p.Node} key '{p.Key}'");
            }
            if (p.Offset % (ulong)ArenaAllocator.Alignment != 0)
                throw new OmFormatException($"{where}: offset {p.Offset} is not a multiple of {ArenaAllocator.Alignment}");
            if (p.Offset > (ulong)weights.Length || p.Length > (ulong)weights.Length - p.Offset)
                throw new OmFormatException($"{where}: bytes {p.Offset}..{p.Offset + p.Length} are outside the {weights.Length}-byte weights partition");
            var bytes = weights.Slice((int)p.Offset, (int)p.Length);
            blobs[b] = new PrepackedBlob(node, input, p.Key, Stored(bytes, p.Storage, where));
        }
        // A constant left out of the file must have been stored prepacked for at least one of its readers.
        var covered = blobs.Select(b => graph.Nodes[b.Node].Inputs[b.Input]).ToHashSet();
        for (int v = 0; v < graph.Values.Length; v++)
            if (graph.Constants[v] is { } c && DroppedWeights.IsDropped(c))
            {
                if (!covered.Contains(v))
                    throw new OmFormatException($"constant of value {v} ('{graph.Values[v].Name}') is stored only prepacked but no prepacked blob comes from it");
                if (graph.Outputs.Contains(v))
                    throw new OmFormatException($"constant of value {v} ('{graph.Values[v].Name}') is a model output but is stored only prepacked");
            }
        return blobs;
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlyMemory<byte> bytes, string partition) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes.Span);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new OmFormatException($"the {partition} partition is not valid protobuf ({e.Message})");
        }
    }

    private static void CheckHeaderAgrees(OmFileHeader header, ModelDef def)
    {
        if (def.Target != OmModel.PortableTarget)
            throw new OmFormatException($"target '{def.Target}' is not supported by this runtime (expected '{OmModel.PortableTarget}')");
        if (header.Name != OmFileHeader.FitName(def.Name))
            throw new OmFormatException($"the header's name '{header.Name}' does not match the model's name '{def.Name}'");
        if (header.Ops != def.OpsEstimate)
            throw new OmFormatException($"the header's ops estimate {header.Ops} does not match the model's {def.OpsEstimate}");
        if (header.PlatformVersion != OmFileHeader.FitName(def.Target, OmFileHeader.PlatformVersionLength))
            throw new OmFormatException($"the header's platform '{header.PlatformVersion}' does not match the model's target '{def.Target}'");
    }

    private static (ModelGraph Graph, Dictionary<ulong, int> ConstantAt) ReadGraph(ModelDef def, ReadOnlyMemory<byte> weights)
    {
        int valueCount = def.Values.Count;
        var values = new GraphValue[valueCount];
        for (int v = 0; v < valueCount; v++)
            values[v] = new GraphValue(def.Values[v].Name, OmChecks.DataType(def.Values[v].Dtype, $"value {v} ('{def.Values[v].Name}')"));

        // Who defines each value: 'i' input, 'c' constant, 'n' node output.
        var definedBy = new char[valueCount];
        foreach (var input in def.Inputs)
        {
            int v = OmChecks.Index(input.ValueId, valueCount, $"input '{input.Name}' value id");
            if (definedBy[v] != 0) throw new OmFormatException($"value {v} is used by two inputs");
            definedBy[v] = 'i';
        }

        var constants = new TensorData?[valueCount];
        var constantAt = new Dictionary<ulong, int>();
        foreach (var c in def.Constants)
        {
            string where = $"constant of value {c.ValueId}";
            int v = OmChecks.Index(c.ValueId, valueCount, where);
            if (definedBy[v] != 0) throw new OmFormatException($"{where}: the value is already an input or a constant");
            definedBy[v] = 'c';
            var dims = OmChecks.ConcreteDims(c.Dims, where);
            if (c.PrepackedOnly)
            {
                if (c.Offset != 0 || c.Length != 0)
                    throw new OmFormatException($"{where}: a constant stored only prepacked has offset {c.Offset} and length {c.Length}, expected 0 and 0");
                constants[v] = DroppedWeights.Placeholder(values[v].Type, dims, values[v].Name);
                continue;
            }
            var storage = StorageOf(c.Storage, where);
            if (storage != WeightStorageType.Float32 && values[v].Type != DataType.Float32)
                throw new OmFormatException($"{where}: 16-bit storage is only for float32 constants, the value is {values[v].Type.Name()}");
            long length = WeightNarrowing.StoredLength(Shape.ElementCount(dims) * values[v].Type.SizeOf(), storage);
            if (c.Length != (ulong)length)
                throw new OmFormatException($"{where}: {values[v].Type.Name()}{Shape.Format(dims)} needs {length} bytes, the entry says {c.Length}");
            if (c.Offset % (ulong)ArenaAllocator.Alignment != 0)
                throw new OmFormatException($"{where}: offset {c.Offset} is not a multiple of {ArenaAllocator.Alignment}");
            if (c.Offset > (ulong)weights.Length || c.Length > (ulong)weights.Length - c.Offset)
                throw new OmFormatException($"{where}: bytes {c.Offset}..{c.Offset + c.Length} are outside the {weights.Length}-byte weights partition");
            if (!constantAt.TryAdd(c.Offset, v) && c.Length > 0)
                throw new OmFormatException($"{where}: offset {c.Offset} is shared with value {constantAt[c.Offset]}");
            constants[v] = new TensorData(values[v].Type, dims, Stored(weights.Slice((int)c.Offset, (int)c.Length), c.Storage, where));
        }

        var nodes = new GraphNode[def.Nodes.Count];
        for (int i = 0; i < nodes.Length; i++)
        {
            var n = def.Nodes[i];
            string where = $"node {i} ('{n.Name}')";
            if (n.OpType.Length == 0) throw new OmFormatException($"{where} has no op type");
            var inputs = new int[n.Inputs.Count];
            for (int j = 0; j < inputs.Length; j++)
            {
                int id = n.Inputs[j];
                if (id == -1) { inputs[j] = -1; continue; }
                inputs[j] = OmChecks.Index(id, valueCount, $"{where} input {j}");
                if (definedBy[inputs[j]] == 0)
                    throw new OmFormatException($"{where} reads value {id} ('{values[id].Name}') before any node computes it");
            }
            var outputs = new int[n.Outputs.Count];
            for (int j = 0; j < outputs.Length; j++)
            {
                outputs[j] = OmChecks.Index(n.Outputs[j], valueCount, $"{where} output {j}");
                if (definedBy[outputs[j]] != 0)
                    throw new OmFormatException($"{where} writes value {outputs[j]}, which is already defined");
                definedBy[outputs[j]] = 'n';
            }
            var attributes = new OpAttributes();
            string? previous = null;
            foreach (var a in n.Attributes)
            {
                if (previous is not null && string.CompareOrdinal(previous, a.Name) >= 0)
                    throw new OmFormatException($"{where}: attributes are not sorted and unique at '{a.Name}'");
                previous = a.Name;
                attributes.Set(a.Name, ProtoConversions.FromProto(a, $"{where} attribute '{a.Name}'"));
            }
            nodes[i] = new GraphNode(n.Name, n.OpType, n.SourceOpType, attributes, inputs, outputs);
        }

        int[] graphInputs = [.. def.Inputs.Select(d => d.ValueId)];
        int[] graphOutputs = [.. def.Outputs.Select((d, k) => OmChecks.Index(d.ValueId, valueCount, $"output {k} ('{d.Name}') value id"))];
        foreach (int o in graphOutputs)
            if (definedBy[o] == 0) throw new OmFormatException($"output value {o} ('{values[o].Name}') is never computed");
        return (new ModelGraph(values, nodes, graphInputs, graphOutputs, constants), constantAt);
    }

    private static TensorDescriptor[] ReadDescriptors(IList<TensorDesc> descs, ModelGraph graph, string what)
    {
        var result = new TensorDescriptor[descs.Count];
        for (int k = 0; k < descs.Count; k++)
        {
            var d = descs[k];
            string where = $"{what} {k} ('{d.Name}')";
            var type = OmChecks.DataType(d.Dtype, where);
            if (type != graph.Values[d.ValueId].Type)
                throw new OmFormatException($"{where} is {type.Name()} but its value is {graph.Values[d.ValueId].Type.Name()}");
            result[k] = new TensorDescriptor(d.Name, type, d.Format, d.DataDependent ? [.. OmChecks.DataDependentDims(d.Dims, where).Select(x => (long)x)]
                : OmChecks.DeclaredDims(d.Dims, where)) { IsDataDependent = d.DataDependent };
        }
        return result;
    }

    private static void CheckSignatureIds(ModelGraph graph, ModelDef def)
    {
        if (def.Inputs.Select(i => i.Name).Distinct(StringComparer.Ordinal).Count() != def.Inputs.Count)
            throw new OmFormatException("two inputs have the same name");
        if (def.Outputs.Select(o => o.Name).Distinct(StringComparer.Ordinal).Count() != def.Outputs.Count)
            throw new OmFormatException("two outputs have the same name");
        if (graph.Outputs.Length == 0) throw new OmFormatException("the model has no output");
    }

    private static ModelGear[] ReadGears(ModelDef def, TensorDescriptor[] inputs, TensorDescriptor[] outputs)
    {
        if (def.Gears.Count == 0) throw new OmFormatException("the model has no gear");
        var gears = new ModelGear[def.Gears.Count];
        for (int g = 0; g < gears.Length; g++)
        {
            var gd = def.Gears[g];
            string where = $"gear {g}";
            if (gd.InputShapes.Count != inputs.Length || gd.OutputShapes.Count != outputs.Length)
                throw new OmFormatException($"{where} has {gd.InputShapes.Count} input and {gd.OutputShapes.Count} output shapes for {inputs.Length} inputs and {outputs.Length} outputs");
            int[] selector = [.. gd.Selector.Select(s => s is >= int.MinValue and <= int.MaxValue ? (int)s
                : throw new OmFormatException($"{where}: selector value {s} is out of range"))];
            var inputShapes = gd.InputShapes.Select((s, k) => CheckDeclared(OmChecks.ConcreteDims(s.Dims_, $"{where} input {k}"), inputs[k], where)).ToArray();
            var outputShapes = gd.OutputShapes.Select((s, k) => CheckDeclared(outputs[k].IsDataDependent
                ? OmChecks.DataDependentDims(s.Dims_, $"{where} output {k}") : OmChecks.ConcreteDims(s.Dims_, $"{where} output {k}"), outputs[k], where)).ToArray();
            gears[g] = new ModelGear(g, selector, inputShapes, outputShapes);
        }
        return gears;
    }

    private static int[] CheckDeclared(int[] shape, TensorDescriptor declared, string where)
    {
        if (declared.IsDataDependent && (declared.Dims is [-2] || shape is [-2])) return shape;   // rank known only after a run
        bool ok = shape.Length == declared.Dims.Length;
        for (int i = 0; ok && i < shape.Length; i++) ok = declared.Dims[i] < 0 || declared.Dims[i] == shape[i];
        return ok ? shape : throw new OmFormatException($"{where}: shape {Shape.Format(shape)} of '{declared.Name}' contradicts its declared dims {Shape.Format(declared.Dims)}");
    }

    private static InputShapeRange[] ReadRanges(ModelDef def, TensorDescriptor[] inputs, ModelGearKind kind)
    {
        if (kind != ModelGearKind.Range)
            return def.Ranges.Count == 0 ? [] : throw new OmFormatException("shape ranges are present but the gear kind is not a range");
        if (def.Ranges.Count != inputs.Length)
            throw new OmFormatException($"{def.Ranges.Count} shape ranges for {inputs.Length} inputs");
        var ranges = new InputShapeRange[inputs.Length];
        for (int k = 0; k < inputs.Length; k++)
        {
            var r = def.Ranges[k];
            string where = $"range of input {k} ('{inputs[k].Name}')";
            var min = OmChecks.ConcreteDims(r.Min, where + " min");
            if (r.Max.Count != min.Length || min.Length != inputs[k].Dims.Length)
                throw new OmFormatException($"{where}: min, max and declared dims have different ranks");
            var max = new int[min.Length];
            for (int i = 0; i < min.Length; i++)
            {
                long m = r.Max[i];
                if (m != -1 && (m < min[i] || m > int.MaxValue))
                    throw new OmFormatException($"{where}: axis {i} has max {m} below min {min[i]}");
                max[i] = (int)m;
            }
            ranges[k] = new InputShapeRange(inputs[k].Name, min, max);
        }
        return ranges;
    }

    private static ExecutionPlan ReadPlan(GearPlan p, int g, ModelGraph graph, ModelGear gear, Dictionary<ulong, int> constantAt)
    {
        string where = $"plan of gear {g}";
        int valueCount = graph.Values.Length;
        if (p.Values.Count != valueCount)
            throw new OmFormatException($"{where} places {p.Values.Count} values, the graph has {valueCount}");

        var placements = new ValuePlacement[valueCount];
        long arenaBound = 0;
        for (int v = 0; v < valueCount; v++)
        {
            var vp = p.Values[v];
            string at = $"{where}, value {v} ('{graph.Values[v].Name}')";
            var type = OmChecks.DataType(vp.Dtype, at);
            if (type != graph.Values[v].Type)
                throw new OmFormatException($"{at} is {type.Name()} but the graph says {graph.Values[v].Type.Name()}");
            bool dynamic = vp.Placement == Placement.Dynamic;
            var dims = dynamic ? OmChecks.DataDependentDims(vp.Dims, at) : OmChecks.ConcreteDims(vp.Dims, at);
            long bytes = dynamic ? 0 : Shape.ElementCount(dims) * type.SizeOf();
            if (vp.ByteSize != (ulong)bytes)
                throw new OmFormatException($"{at}: {type.Name()}{Shape.Format(dims)} is {bytes} bytes, the plan says {vp.ByteSize}");
            var kind = vp.Placement == Placement.PrepackedOnly ? PlacementKind.Weights : (PlacementKind)(int)vp.Placement;
            if (kind != PlacementKind.Folded && !vp.FoldedData.IsEmpty)
                throw new OmFormatException($"{at} carries folded data but is not folded");
            long offset;
            TensorData? folded = null;
            switch (kind)
            {
                case PlacementKind.Dynamic:
                    offset = vp.Offset == 0 ? 0 : throw new OmFormatException($"{at}: a dynamic value has offset {vp.Offset}");
                    break;
                case PlacementKind.Unused:
                    offset = vp.Offset == 0 ? 0 : throw new OmFormatException($"{at}: an unused value has offset {vp.Offset}");
                    break;
                case PlacementKind.Arena:
                    if (vp.Offset % (ulong)ArenaAllocator.Alignment != 0 || vp.Offset > p.ArenaSize || (ulong)bytes > p.ArenaSize - vp.Offset)
                        throw new OmFormatException($"{at}: arena bytes {vp.Offset}..{vp.Offset + (ulong)bytes} do not fit the {p.ArenaSize}-byte arena");
                    offset = (long)vp.Offset;
                    arenaBound += ArenaAllocator.Align(bytes);
                    break;
                case PlacementKind.Weights when vp.Placement == Placement.PrepackedOnly:
                    // Only the constant itself: nothing may alias bytes that are not in the file.
                    if (vp.Offset != (ulong)v || graph.Constants[v] is not { } only || !DroppedWeights.IsDropped(only) || only.Bytes.Length != bytes)
                        throw new OmFormatException($"{at}: placement PREPACKED_ONLY names value {vp.Offset}, which is not this {bytes}-byte constant stored only prepacked");
                    offset = (long)vp.Offset;
                    break;
                case PlacementKind.Weights:
                    if (!constantAt.TryGetValue(vp.Offset, out int c) || graph.Constants[c]!.Bytes.Length != bytes)
                        throw new OmFormatException($"{at}: no {bytes}-byte constant starts at weights offset {vp.Offset}");
                    offset = c;
                    break;
                case PlacementKind.Input:
                    offset = OmChecks.Index((long)Math.Min(vp.Offset, long.MaxValue), graph.Inputs.Length, $"{at} input index");
                    long inputBytes = Shape.ElementCount(gear.InputShapes[offset]) * graph.Values[graph.Inputs[offset]].Type.SizeOf();
                    if (bytes != inputBytes)
                        throw new OmFormatException($"{at}: {bytes} bytes do not match input {offset}'s {inputBytes} bytes");
                    break;
                case PlacementKind.Output:
                    offset = OmChecks.Index((long)Math.Min(vp.Offset, long.MaxValue), graph.Outputs.Length, $"{at} output index");
                    long outputBytes = Shape.ElementCount(gear.OutputShapes[offset]) * graph.Values[graph.Outputs[offset]].Type.SizeOf();
                    if (bytes != outputBytes)
                        throw new OmFormatException($"{at}: {bytes} bytes do not match output {offset}'s {outputBytes} bytes");
                    break;
                case PlacementKind.Folded:
                    if (vp.FoldedData.Length != bytes)
                        throw new OmFormatException($"{at}: folded data has {vp.FoldedData.Length} bytes, expected {bytes}");
                    offset = vp.Offset == 0 ? 0 : throw new OmFormatException($"{at}: a folded value has offset {vp.Offset}");
                    folded = new TensorData(type, dims, vp.FoldedData.ToByteArray());
                    break;
                default:
                    throw new OmFormatException($"{at}: placement {(int)vp.Placement} is not valid");
            }
            placements[v] = new ValuePlacement(kind, offset, type, dims, folded);
        }
        if (p.ArenaSize > (ulong)arenaBound)
            throw new OmFormatException($"{where}: arena size {p.ArenaSize} exceeds the {arenaBound} bytes its values need");
        // Session buffers are single pinned arrays: a plan that needs a bigger one cannot run here.
        if (p.ArenaSize > (ulong)PinnedBuffer.MaxBytes)
            throw new OmFormatException($"{where}: arena size {p.ArenaSize} exceeds the {PinnedBuffer.MaxBytes} bytes one session buffer can hold");
        for (int k = 0; k < graph.Outputs.Length; k++)
            if (placements[graph.Outputs[k]].ByteSize > PinnedBuffer.MaxBytes)
                throw new OmFormatException($"{where}: output {k} has {placements[graph.Outputs[k]].ByteSize} bytes, more than the {PinnedBuffer.MaxBytes} bytes one session buffer can hold");

        for (int k = 0; k < graph.Inputs.Length; k++)
        {
            var placement = placements[graph.Inputs[k]];
            if (placement.Kind is not (PlacementKind.Unused or PlacementKind.Input) || placement.Kind == PlacementKind.Input && placement.Offset != k)
                throw new OmFormatException($"{where}: input {k} is not placed in its input buffer");
            if (!placement.Dims.AsSpan().SequenceEqual(gear.InputShapes[k]))
                throw new OmFormatException($"{where}: input {k} has dims {Shape.Format(placement.Dims)}, the gear says {Shape.Format(gear.InputShapes[k])}");
        }
        for (int k = 0; k < graph.Outputs.Length; k++)
        {
            var placement = placements[graph.Outputs[k]];
            if (placement.Kind == PlacementKind.Unused)
                throw new OmFormatException($"{where}: output {k} is not computed");
            if (!placement.Dims.AsSpan().SequenceEqual(gear.OutputShapes[k]))
                throw new OmFormatException($"{where}: output {k} has dims {Shape.Format(placement.Dims)}, the gear says {Shape.Format(gear.OutputShapes[k])}");
        }

        var steps = new int[p.Steps.Count];
        for (int s = 0; s < steps.Length; s++)
        {
            steps[s] = OmChecks.Index(p.Steps[s], graph.Nodes.Length, $"{where} step {s}");
            if (s > 0 && steps[s] <= steps[s - 1])
                throw new OmFormatException($"{where}: steps are not in increasing node order at step {s}");
            var node = graph.Nodes[steps[s]];
            foreach (int input in node.Inputs)
                if (input >= 0 && placements[input].Kind == PlacementKind.Unused)
                    throw new OmFormatException($"{where}: node '{node.Name}' reads value {input}, which the plan leaves unplaced");
            foreach (int output in node.Outputs)
                if (placements[output].Kind is not (PlacementKind.Arena or PlacementKind.Output or PlacementKind.Dynamic))
                    throw new OmFormatException($"{where}: node '{node.Name}' writes value {output}, which the plan does not place in the arena or an output");
            // A planned step has kernels made for planned shapes: it must neither read nor write a value sized at run time.
            bool dynamicStep = node.Outputs.Any(o => placements[o].Kind == PlacementKind.Dynamic);
            if (dynamicStep && node.Outputs.Any(o => placements[o].Kind != PlacementKind.Dynamic))
                throw new OmFormatException($"{where}: node '{node.Name}' writes both planned and dynamic values");
            if (!dynamicStep && node.Inputs.Any(i => i >= 0 && placements[i].Kind == PlacementKind.Dynamic))
                throw new OmFormatException($"{where}: node '{node.Name}' is a planned step but reads a value sized at run time");
        }
        var plan = new ExecutionPlan(gear.InputShapes, steps, placements, (long)p.ArenaSize);
        PlanStorageCheck.Check(plan, graph, where);
        return plan;
    }
}
