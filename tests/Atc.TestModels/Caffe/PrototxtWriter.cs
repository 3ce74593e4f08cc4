using System.Collections;
using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Atc.TestModels.Caffe;

/// <summary>Writes a protobuf message as text format (a Caffe .prototxt), fields in number order, two-space indent.
/// Google.Protobuf for .NET has no text-format writer; this one covers the field kinds caffe.proto uses.</summary>
internal static class PrototxtWriter
{
    public static string Write(IMessage message)
    {
        var text = new StringBuilder();
        WriteFields(text, message, 0);
        return text.ToString();
    }

    private static void WriteFields(StringBuilder text, IMessage message, int depth)
    {
        var indent = new string(' ', depth * 2);
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                foreach (var item in (IList)value) WriteField(text, indent, field, item, depth);
            }
            else if (field.Accessor.HasValue(message))
            {
                WriteField(text, indent, field, value, depth);
            }
        }
    }

    private static void WriteField(StringBuilder text, string indent, FieldDescriptor field, object value, int depth)
    {
        if (field.FieldType == FieldType.Message)
        {
            text.Append(indent).Append(field.Name).Append(" {\n");
            WriteFields(text, (IMessage)value, depth + 1);
            text.Append(indent).Append("}\n");
            return;
        }
        text.Append(indent).Append(field.Name).Append(": ").Append(Scalar(field, value)).Append('\n');
    }

    private static string Scalar(FieldDescriptor field, object value) => field.FieldType switch
    {
        FieldType.String => Quote((string)value),
        FieldType.Bool => (bool)value ? "true" : "false",
        // A number the enum does not name (a mutated file) is written as the number, which text format accepts.
        FieldType.Enum => field.EnumType.FindValueByNumber(Convert.ToInt32(value, CultureInfo.InvariantCulture))?.Name
            ?? Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        FieldType.Float => ((float)value).ToString("R", CultureInfo.InvariantCulture),
        FieldType.Double => ((double)value).ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static string Quote(string value)
        => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
