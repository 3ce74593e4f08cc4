using Atc.Options.Deployment;
using System.Text;
using System.Text.Json;
using Atc.Compiler.Driver;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Core;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;

namespace Atc.Compiler.Tooling;

/// <summary>atc --mode=1: an .om file as readable JSON (signature, gears, nodes with shapes per gear, weights summary).</summary>
public static class OmJsonConverter
{
    /// <summary>Throws AtcException for a truncated or corrupt file.</summary>
    public static string ToJson(byte[] om, string path)
    {
        OmPartitions parts;
        OmModel model;
        try
        {
            parts = OmContainer.Read(om);
            model = OmReader.Read(om);
        }
        catch (OmFormatException e)
        {
            throw new AtcException(AtcErrors.InvalidOmFile(path, e.Detail));
        }

        return ToJson(parts, model);
    }

    /// <summary>A model compiled in this run: the header from its bytes, everything else from the model it was written from.</summary>
    public static string ToJson(CompiledModel compiled)
    {
        var content = compiled.Content ?? throw new InvalidOperationException("the compiled model carries no decoded content");
        return ToJson(OmContainer.Read(compiled.OmBytes), content);
    }

    private static string ToJson(OmPartitions parts, OmModel model)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            WriteHeader(w, parts);
            WriteModel(w, model);
            WriteSignature(w, model);
            WriteNodes(w, model);
            WriteWeights(w, model.Graph);
            WritePrepacked(w, model);
            WritePlans(w, model);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteHeader(Utf8JsonWriter w, OmPartitions parts)
    {
        var h = parts.Header;
        w.WriteStartObject("header");
        w.WriteString("magic", $"0x{OmFileHeader.Magic:X8}");
        w.WriteNumber("headsize", OmFileHeader.Size);
        w.WriteString("version", $"0x{OmFileHeader.FormatVersion:X8}");
        w.WriteString("checksum", Convert.ToHexStringLower(h.Checksum.AsSpan(0, 32)));
        w.WriteNumber("length", h.Length);
        w.WriteNumber("is_encrypt", 0);
        w.WriteNumber("is_checksum", 1);
        w.WriteNumber("modeltype", 0);
        w.WriteNumber("genmode", 0);
        w.WriteString("name", h.Name);
        w.WriteNumber("ops", h.Ops);
        w.WriteNumber("om_ir_version", h.IrVersion);
        w.WriteString("platform_version", h.PlatformVersion);
        w.WriteNumber("platform_type", 0);
        w.WriteStartArray("partitions");
        foreach (var p in parts.Table)
        {
            w.WriteStartObject();
            w.WriteString("type", p.Type switch
            {
                OmPartitionType.ModelDef => "MODEL_DEF",
                OmPartitionType.WeightsData => "WEIGHTS_DATA",
                _ => "TASK_INFO",
            });
            w.WriteNumber("offset", p.Offset);
            w.WriteNumber("size", p.Size);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteModel(Utf8JsonWriter w, OmModel m)
    {
        w.WriteStartObject("model");
        w.WriteString("name", m.Name);
        w.WriteString("source_framework", m.SourceFramework);
        w.WriteString("soc_version", m.SocVersion);
        w.WriteString("target", m.Target);
        w.WriteString("producer_version", m.ProducerVersion);
        w.WriteString("precision_mode", m.PrecisionMode.Length == 0 ? "force_fp32" : m.PrecisionMode);
        w.WriteString("weight_precision", PrecisionModes.Of(m.PrecisionMode) switch
        {
            WeightPrecision.BFloat16 => "bfloat16",
            WeightPrecision.Float16 => "float16",
            _ => "float32",
        });
        w.WriteEndObject();
    }

    private static void WriteSignature(Utf8JsonWriter w, OmModel m)
    {
        w.WriteStartObject("signature");
        WriteDescriptors(w, "inputs", m.Inputs);
        WriteDescriptors(w, "outputs", m.Outputs);
        w.WriteString("gear_kind", m.GearKind.ToString());
        w.WriteStartArray("gears");
        foreach (var gear in m.Gears)
        {
            w.WriteStartObject();
            w.WriteNumber("index", gear.Index);
            WriteInts(w, "selector", gear.Selector);
            WriteShapes(w, "input_shapes", gear.InputShapes);
            WriteShapes(w, "output_shapes", gear.OutputShapes);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (m.GearKind == ModelGearKind.Range)
        {
            w.WriteStartArray("ranges");
            foreach (var r in m.Ranges)
            {
                w.WriteStartObject();
                w.WriteString("input", r.InputName);
                WriteInts(w, "min", r.Min);
                WriteInts(w, "max", r.Max);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteDescriptors(Utf8JsonWriter w, string name, TensorDescriptor[] descriptors)
    {
        w.WriteStartArray(name);
        foreach (var d in descriptors)
        {
            w.WriteStartObject();
            w.WriteString("name", d.Name);
            w.WriteString("dtype", d.Type.Name());
            w.WriteString("format", d.Format);
            w.WriteStartArray("dims");
            foreach (long x in d.Dims) w.WriteNumberValue(x);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteNodes(Utf8JsonWriter w, OmModel m)
    {
        var graph = m.Graph;
        w.WriteStartArray("nodes");
        foreach (var node in graph.Nodes)
        {
            w.WriteStartObject();
            w.WriteString("name", node.Name);
            w.WriteString("op_type", node.OpType);
            w.WriteString("source_op_type", node.SourceOpType);
            w.WriteStartObject("attributes");
            foreach (var (key, value) in node.Attributes.All)
            {
                w.WritePropertyName(key);
                WriteAttribute(w, value);
            }
            w.WriteEndObject();
            w.WriteStartArray("inputs");
            foreach (int id in node.Inputs)
                if (id < 0) w.WriteNullValue(); else w.WriteStringValue(graph.Values[id].Name);
            w.WriteEndArray();
            w.WriteStartArray("outputs");
            foreach (int id in node.Outputs)
            {
                w.WriteStartObject();
                w.WriteString("name", graph.Values[id].Name);
                w.WriteString("dtype", graph.Values[id].Type.Name());
                WriteShapes(w, "shape_per_gear", [.. m.Plans.Select(p => p.Values[id].Dims)]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteAttribute(Utf8JsonWriter w, AttributeValue value)
    {
        switch (value.Kind)
        {
            case AttributeKind.Int: w.WriteNumberValue(value.Int); break;
            case AttributeKind.Float: WriteFloat(w, value.Float); break;
            case AttributeKind.String: w.WriteStringValue(value.String); break;
            case AttributeKind.Ints:
                w.WriteStartArray();
                foreach (long x in value.Ints) w.WriteNumberValue(x);
                w.WriteEndArray();
                break;
            case AttributeKind.Floats:
                w.WriteStartArray();
                foreach (float x in value.Floats) WriteFloat(w, x);
                w.WriteEndArray();
                break;
            case AttributeKind.Strings:
                w.WriteStartArray();
                foreach (string x in value.Strings) w.WriteStringValue(x);
                w.WriteEndArray();
                break;
            default:
                var t = value.Tensor!;
                w.WriteStartObject();
                w.WriteString("dtype", t.Type.Name());
                WriteInts(w, "dims", t.Dims);
                w.WriteNumber("bytes", t.Bytes.Length);
                w.WriteEndObject();
                break;
        }
    }

    /// <summary>JSON has no NaN or infinity: those are written as strings.</summary>
    private static void WriteFloat(Utf8JsonWriter w, float x)
    {
        if (float.IsFinite(x)) w.WriteNumberValue(x);
        else w.WriteStringValue(x.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Constants stored raw (count, bytes) and those stored only prepacked.</summary>
    private static void WriteWeights(Utf8JsonWriter w, ModelGraph graph)
    {
        var constants = graph.Constants.Where(c => c is not null).Select(c => c!).ToList();
        var raw = constants.Where(c => !DroppedWeights.IsDropped(c)).ToList();
        w.WriteStartObject("weights");
        w.WriteNumber("count", raw.Count);
        w.WriteNumber("bytes", raw.Sum(c => (long)c.Bytes.Length));
        w.WriteNumber("prepacked_only_count", constants.Count - raw.Count);
        w.WriteEndObject();
    }

    /// <summary>Every prepacked blob: the node, the constant input it comes from, its layout key and size.</summary>
    private static void WritePrepacked(Utf8JsonWriter w, OmModel m)
    {
        w.WriteStartObject("prepacked");
        w.WriteNumber("count", m.Prepacked.Length);
        w.WriteNumber("bytes", m.Prepacked.Sum(b => (long)b.Data.Length));
        w.WriteStartArray("blobs");
        foreach (var blob in m.Prepacked)
        {
            var node = m.Graph.Nodes[blob.Node];
            w.WriteStartObject();
            w.WriteString("node", node.Name);
            w.WriteString("constant", m.Graph.Values[node.Inputs[blob.Input]].Name);
            w.WriteNumber("input", blob.Input);
            w.WriteString("key", blob.Key);
            w.WriteNumber("bytes", blob.Data.Length);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WritePlans(Utf8JsonWriter w, OmModel m)
    {
        w.WriteStartArray("plans");
        for (int g = 0; g < m.Plans.Length; g++)
        {
            var plan = m.Plans[g];
            w.WriteStartObject();
            w.WriteNumber("gear", g);
            w.WriteNumber("steps", plan.Steps.Length);
            w.WriteNumber("folded_values", plan.Values.Count(v => v.Kind == PlacementKind.Folded));
            w.WriteNumber("arena_bytes", plan.ArenaSize);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteInts(Utf8JsonWriter w, string name, int[] values)
    {
        w.WriteStartArray(name);
        foreach (int x in values) w.WriteNumberValue(x);
        w.WriteEndArray();
    }

    private static void WriteShapes(Utf8JsonWriter w, string name, int[][] shapes)
    {
        w.WriteStartArray(name);
        foreach (var s in shapes)
        {
            w.WriteStartArray();
            foreach (int x in s) w.WriteNumberValue(x);
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
}
