using Atc.Runtime;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;
using Atc.Runtime.Format.Proto;
using Google.Protobuf;

namespace Atc.Compiler.Emit;

/// <summary>Serialises an <see cref="OmModel"/>: ModelDef, the 64-byte aligned weights, TaskInfo. Deterministic.</summary>
internal static class OmWriter
{
    public static byte[] Write(OmModel model)
    {
        var graph = model.Graph;
        var blobs = model.Prepacked.OrderBy(b => b.Node).ThenBy(b => b.Key, StringComparer.Ordinal).ToArray();
        var stored = StoredWeights.Of(model, blobs);
        var (weights, constantOffsets, blobOffsets) = LayoutWeights(graph, blobs, stored);
        var modelDef = BuildModelDef(model, constantOffsets, blobs, blobOffsets, stored);
        var taskInfo = BuildTaskInfo(model, constantOffsets);
        return OmContainer.Write(model.Name, model.OpsEstimate, model.Target,
            modelDef.ToByteArray(), weights, taskInfo.ToByteArray());
    }

    /// <summary>Every constant with raw bytes in value-id order, then the prepacked blobs in their order, each
    /// starting on a 64-byte boundary.</summary>
    private static (byte[] Weights, long[] Offsets, long[] BlobOffsets) LayoutWeights(ModelGraph graph, PrepackedBlob[] blobs, StoredWeights stored)
    {
        var offsets = new long[graph.Values.Length];
        var blobOffsets = new long[blobs.Length];
        long size = 0;
        for (int v = 0; v < graph.Values.Length; v++)
        {
            if (graph.Constants[v] is not { } c || DroppedWeights.IsDropped(c)) continue;
            size = ArenaAllocator.Align(size);
            offsets[v] = size;
            size += stored.Constant(v, c.Bytes).Length;
        }
        for (int b = 0; b < blobs.Length; b++)
        {
            size = ArenaAllocator.Align(size);
            blobOffsets[b] = size;
            size += stored.Blob(b).Length;
        }
        if (size > Array.MaxLength)
            throw new InvalidOperationException($"the weights need {size} bytes, more than the .om format's 4 GiB limit");
        var weights = new byte[size];
        for (int v = 0; v < graph.Values.Length; v++)
            if (graph.Constants[v] is { } c && !DroppedWeights.IsDropped(c))
                stored.Constant(v, c.Bytes).Span.CopyTo(weights.AsSpan((int)offsets[v]));
        for (int b = 0; b < blobs.Length; b++)
            stored.Blob(b).Span.CopyTo(weights.AsSpan((int)blobOffsets[b]));
        return (weights, offsets, blobOffsets);
    }

    private static ModelDef BuildModelDef(OmModel model, long[] constantOffsets, PrepackedBlob[] blobs, long[] blobOffsets, StoredWeights stored)
    {
        var graph = model.Graph;
        var def = new ModelDef
        {
            Name = model.Name,
            SourceFramework = model.SourceFramework,
            SocVersion = model.SocVersion,
            Target = model.Target,
            ProducerVersion = model.ProducerVersion,
            GearKind = OmGearKinds.ToProto(model.GearKind),
            OpsEstimate = model.OpsEstimate,
            PrecisionMode = model.PrecisionMode,
        };
        for (int k = 0; k < model.Inputs.Length; k++) def.Inputs.Add(Describe(model.Inputs[k], graph.Inputs[k]));
        for (int k = 0; k < model.Outputs.Length; k++) def.Outputs.Add(Describe(model.Outputs[k], graph.Outputs[k]));
        foreach (var gear in model.Gears)
        {
            var g = new GearDef { Selector = { gear.Selector.Select(s => (long)s) } };
            g.InputShapes.AddRange(gear.InputShapes.Select(ToDims));
            g.OutputShapes.AddRange(gear.OutputShapes.Select(ToDims));
            def.Gears.Add(g);
        }
        foreach (var range in model.Ranges)
            def.Ranges.Add(new RangeDef { Min = { range.Min.Select(d => (long)d) }, Max = { range.Max.Select(d => (long)d) } });
        foreach (var node in graph.Nodes) def.Nodes.Add(ProtoConversions.ToProto(node));
        foreach (var value in graph.Values) def.Values.Add(new ValueDef { Name = value.Name, Dtype = (int)value.Type });
        for (int v = 0; v < graph.Values.Length; v++)
        {
            if (graph.Constants[v] is not { } c) continue;
            bool dropped = DroppedWeights.IsDropped(c);
            def.Constants.Add(new ConstantDef
            {
                ValueId = v,
                Dims = { c.Dims.Select(d => (long)d) },
                Offset = dropped ? 0 : (ulong)constantOffsets[v],
                Length = dropped ? 0 : (ulong)stored.Constant(v, c.Bytes).Length,
                PrepackedOnly = dropped,
                Storage = dropped ? WeightStorage.Float32 : stored.ConstantStorage(v),
            });
        }
        for (int b = 0; b < blobs.Length; b++)
        {
            var blob = blobs[b];
            def.Prepacked.Add(new PrepackedDef
            {
                Node = blob.Node,
                Input = blob.Input,
                Key = blob.Key,
                Offset = (ulong)blobOffsets[b],
                Length = (ulong)stored.Blob(b).Length,
                Storage = stored.BlobStorage(b),
            });
        }
        return def;
    }

    private static TensorDesc Describe(TensorDescriptor d, int valueId) => new()
    {
        Name = d.Name,
        Dtype = (int)d.Type,
        Format = d.Format,
        Dims = { d.Dims },
        ValueId = valueId,
        DataDependent = d.IsDataDependent,
    };

    private static Dims ToDims(int[] dims) => new() { Dims_ = { dims.Select(d => (long)d) } };

    private static TaskInfo BuildTaskInfo(OmModel model, long[] constantOffsets)
    {
        var info = new TaskInfo();
        foreach (var plan in model.Plans)
        {
            var p = new GearPlan { ArenaSize = (ulong)plan.ArenaSize };
            p.Steps.AddRange(plan.Steps);
            foreach (var value in plan.Values)
            {
                bool prepackedOnly = value.Kind == PlacementKind.Weights && DroppedWeights.IsDropped(model.Graph.Constants[value.Offset]!);
                var vp = new ValuePlan
                {
                    Placement = prepackedOnly ? Placement.PrepackedOnly : (Placement)(int)value.Kind,
                    Offset = (ulong)(value.Kind == PlacementKind.Weights && !prepackedOnly ? constantOffsets[value.Offset] : value.Offset),
                    ByteSize = (ulong)value.ByteSize,
                    Dims = { value.Dims.Select(d => (long)d) },
                    Dtype = (int)value.Type,
                };
                if (value.Kind == PlacementKind.Folded) vp.FoldedData = ByteString.CopyFrom(value.Folded!.Bytes.Span);
                p.Values.Add(vp);
            }
            info.Plans.Add(p);
        }
        return info;
    }
}
