using System.Text;
using System.Text.Json;

namespace Atc.Compiler.Tooling;

/// <summary>
/// ATC's op-support report (`--check_report=file.json`): every node of the original model with its op type, whether
/// this compiler supports it and why not, and a summary. Written before the model is lowered, so a model with
/// unsupported ops gets the whole list rather than the first error.
/// </summary>
public static class CheckReport
{
    /// <param name="importErrors">errors the import reported beyond unsupported op types (e.g. an attribute form an
    /// op does not support), shown in the report with "result": "failed".</param>
    public static string ToJson(SourceModel model, string modelPath, IReadOnlyList<Atc.Options.AtcDiagnostic>? importErrors = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            int unsupported = model.Nodes.Count(n => !n.Supported);
            writer.WriteStartObject();
            writer.WriteString("model", modelPath);
            writer.WriteString("framework", model.Framework);
            bool failed = unsupported > 0 || importErrors is { Count: > 0 };
            writer.WriteString("result", failed ? "failed" : "success");
            writer.WriteStartObject("summary");
            writer.WriteNumber("nodes", model.Nodes.Count);
            writer.WriteNumber("supported", model.Nodes.Count - unsupported);
            writer.WriteNumber("unsupported", unsupported);
            writer.WriteStartArray("unsupported_op_types");
            foreach (var type in model.Nodes.Where(n => !n.Supported).Select(n => n.OpType).Distinct(StringComparer.Ordinal)) writer.WriteStringValue(type);
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteStartArray("op");
            foreach (var node in model.Nodes)
            {
                writer.WriteStartObject();
                writer.WriteString("name", node.Name);
                writer.WriteString("type", node.OpType);
                writer.WriteString("result", node.Supported ? "success" : "failed");
                if (!node.Supported)
                    writer.WriteString("reason", "op type [" + node.OpType + "] is not supported by this compiler's " + model.Framework
                        + " importer (docs/supported-ops.md lists the supported ones); replace it in the source model");
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (importErrors is { Count: > 0 })
            {
                writer.WriteStartArray("import_errors");
                foreach (var error in importErrors) writer.WriteStringValue(error.ToString());
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
