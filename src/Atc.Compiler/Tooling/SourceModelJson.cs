using System.Text;
using System.Text.Json;

namespace Atc.Compiler.Tooling;

/// <summary>
/// JSON of an original model as imported (`atc --mode=1 --framework=N --om=model --json=out.json`), like ATC's
/// original-model-to-JSON: inputs with their declared shapes (-1 or symbolic names for dynamic axes), every node with
/// its op type, inputs and attributes, and the outputs. Needs no shape option.
/// </summary>
public static class SourceModelJson
{
    public static string ToJson(SourceModel model)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("name", model.Name);
            writer.WriteString("framework", model.Framework);
            writer.WriteStartArray("inputs");
            foreach (var input in model.Inputs)
            {
                writer.WriteStartObject();
                writer.WriteString("name", input.Name);
                writer.WriteString("dtype", input.DataType);
                if (input.Dims is null) writer.WriteString("shape", "unknown rank");
                else
                {
                    writer.WriteStartArray("shape");
                    foreach (var dim in input.Dims)
                    {
                        if (long.TryParse(dim, out var value)) writer.WriteNumberValue(value);
                        else writer.WriteStringValue(dim);
                    }
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("nodes");
            foreach (var node in model.Nodes)
            {
                writer.WriteStartObject();
                writer.WriteString("name", node.Name);
                writer.WriteString("op", node.OpType);
                writer.WriteStartArray("inputs");
                foreach (var input in node.Inputs) writer.WriteStringValue(input);
                writer.WriteEndArray();
                writer.WriteStartObject("attributes");
                foreach (var (key, json) in node.AttributesJson)
                {
                    writer.WritePropertyName(key);
                    writer.WriteRawValue(json, skipInputValidation: false);
                }
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("outputs");
            foreach (var output in model.Outputs) writer.WriteStringValue(output);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
