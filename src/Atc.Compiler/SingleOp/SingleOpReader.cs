using System.Text.Json;
using Atc.Options;
using Atc.Options.Errors;
using Atc.Options.Rules;

namespace Atc.Compiler.SingleOp;

/// <summary>
/// Reads ATC's single-op description (a JSON array of OpDesc: op, optional name and compile_flag, input_desc,
/// output_desc, optional attr). Syntax errors are ATC4240 with the reader's line and column; a field of the wrong
/// kind, an unknown field, an unknown type or format, or a dynamic shape is ATC4242 at the field. Every op is read,
/// so one run reports the problems of all of them.
/// </summary>
internal static class SingleOpReader
{
    /// <summary>Nesting beyond ATC's own (array → op → desc → shape, attr → list_list_int) is not a description.</summary>
    private const int MaxDepth = 16;
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly string[] OpFields = ["op", "name", "compile_flag", "input_desc", "output_desc", "attr"];
    private static readonly string[] TensorFields = ["format", "shape", "type", "name", "origin_format", "origin_shape", "dynamic_input", "is_const", "const_value"];
    private static readonly string[] AttributeFields = ["name", "type", "value"];
    public static readonly string[] AttributeTypes = ["bool", "int", "float", "string", "list_bool", "list_int", "list_float", "list_string", "list_list_int", "data_type"];

    /// <summary>Positions in a description that <see cref="Read"/> accepted.</summary>
    public static JsonPositions PositionsOf(byte[] bytes) => JsonPositions.Of(WithoutBom(bytes), ReaderOptions);

    private static byte[] WithoutBom(byte[] bytes) => bytes.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes;

    public static List<SingleOpDescription> Read(string file, byte[] bytes, List<AtcDiagnostic> diagnostics)
    {
        var utf8 = WithoutBom(bytes);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            diagnostics.Add(AtcErrors.SingleOpJsonInvalid(file, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, Reason(e)));
            return [];
        }
        var ops = new List<SingleOpDescription>();
        using (document)
        {
            if (JsonPositions.FirstInvalidString(utf8, ReaderOptions) is { } bad)
            {
                diagnostics.Add(AtcErrors.SingleOpJsonInvalid(file, bad.Line, bad.Column,
                    "a string holds an escape that is not valid UTF-16 (a lone surrogate such as \\ud800)"));
                return [];
            }
            var positions = JsonPositions.Of(utf8, ReaderOptions);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() == 0)
            {
                diagnostics.Add(AtcErrors.SingleOpJsonInvalid(file, 1, 1, root.ValueKind == JsonValueKind.Array
                    ? "the array is empty; it must hold at least one op description"
                    : "the top level is " + Kind(root) + ", not an array of op descriptions"));
                return [];
            }
            int index = 0;
            foreach (var element in root.EnumerateArray())
            {
                var context = new OpContext(file, index, "[" + index + "]", positions, diagnostics);
                if (ReadOp(element, context) is { } op) ops.Add(op);
                index++;
            }
        }
        return ops;
    }

    /// <summary>Where an op's problems go: the file, the op's index and type (once known), the positions.</summary>
    private sealed class OpContext(string file, int index, string path, JsonPositions positions, List<AtcDiagnostic> diagnostics)
    {
        public string File => file;
        public int Index => index;
        public string Path => path;
        public string OpType { get; set; } = "?";
        public bool Failed { get; private set; }

        public void Fail(string at, string reason, string fix)
        {
            var (line, column) = positions.At(at);
            diagnostics.Add(AtcErrors.SingleOpDescInvalid(index, OpType, file, line, column, reason, fix));
            Failed = true;
        }

        public (int Line, int Column) At(string at) => positions.At(at);
        public void Add(AtcDiagnostic diagnostic) { diagnostics.Add(diagnostic); Failed = true; }
    }

    private static SingleOpDescription? ReadOp(JsonElement element, OpContext c)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            c.Fail(c.Path, "the op description is " + Kind(element) + ", not an object", "Write each op as {\"op\": ..., \"input_desc\": [...], \"output_desc\": [...]}.");
            return null;
        }
        if (element.TryGetProperty("op", out var opElement) && opElement.ValueKind == JsonValueKind.String && opElement.GetString()!.Trim().Length > 0)
            c.OpType = opElement.GetString()!.Trim();
        else
            c.Fail(c.Path + (opElement.ValueKind == JsonValueKind.Undefined ? "" : ".op"), "\"op\" (the op type, a string) is missing or empty", "Add \"op\": \"Add\" (an Ascend IR op type).");
        CheckFields(element, OpFields, c.Path, "an op description", c);

        string? fileName = null;
        if (element.TryGetProperty("name", out var name))
        {
            fileName = name.ValueKind == JsonValueKind.String ? name.GetString()! : null;
            if (fileName is null || !IsFileName(fileName))
                c.Fail(c.Path + ".name", "\"name\" [" + (fileName ?? name.GetRawText()) + "] is not a file name (letters, digits, '_', '-', '.'; no folders)",
                    "Give a plain file name such as \"add\" (writes add.om in --output), or leave \"name\" out for ATC's default name.");
        }
        var inputs = ReadTensors(element, "input_desc", c, required: true);
        var outputs = ReadTensors(element, "output_desc", c, required: true);
        var attributes = ReadAttributes(element, c);
        return c.Failed ? null : new SingleOpDescription(c.Index, c.Path, c.OpType, fileName, inputs, outputs, attributes);
    }

    private static List<SingleOpTensor> ReadTensors(JsonElement op, string field, OpContext c, bool required)
    {
        var tensors = new List<SingleOpTensor>();
        string path = c.Path + "." + field;
        if (!op.TryGetProperty(field, out var array))
        {
            if (required) c.Fail(c.Path, "\"" + field + "\" is missing", "Add \"" + field + "\": [{\"format\": \"ND\", \"shape\": [...], \"type\": \"float\"}].");
            return tensors;
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            c.Fail(path, "\"" + field + "\" is " + Kind(array) + ", not an array of tensor descriptions", "Write \"" + field + "\": [{...}, ...].");
            return tensors;
        }
        int i = 0;
        foreach (var desc in array.EnumerateArray())
        {
            if (ReadTensor(desc, path + "[" + i + "]", c) is { } tensor) tensors.Add(tensor);
            i++;
        }
        return tensors;
    }

    private static SingleOpTensor? ReadTensor(JsonElement desc, string path, OpContext c)
    {
        if (desc.ValueKind != JsonValueKind.Object)
        {
            c.Fail(path, "the tensor description is " + Kind(desc) + ", not an object", "Write {\"format\": \"ND\", \"shape\": [...], \"type\": \"float\"}.");
            return null;
        }
        CheckFields(desc, TensorFields, path, "a tensor description", c);
        bool ok = true;
        string format = "";
        int formatCode = 0;
        if (!desc.TryGetProperty("format", out var f) || f.ValueKind != JsonValueKind.String || !SingleOpTypes.Formats.TryGetValue(f.GetString()!, out formatCode))
        {
            c.Fail(f.ValueKind == JsonValueKind.Undefined ? path : path + ".format", "format [" + Text(f) + "] is not one of " + string.Join(", ", SingleOpTypes.Formats.Keys),
                "Use \"format\": \"ND\" (or NCHW/NHWC for image tensors); NPU formats such as NC1HWC0 are not layouts of this CPU target.");
            ok = false;
        }
        else format = f.GetString()!;
        string typeName = "";
        var type = (Atc.Runtime.DataType.Undefined, 0);
        if (!desc.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String || !SingleOpTypes.Types.TryGetValue(t.GetString()!, out type))
        {
            c.Fail(t.ValueKind == JsonValueKind.Undefined ? path : path + ".type", "type [" + Text(t) + "] is not one of " + string.Join(", ", SingleOpTypes.Types.Keys),
                "Use \"type\": \"float\" or another of the listed types.");
            ok = false;
        }
        else typeName = t.GetString()!;
        int[]? shape = null;
        if (!desc.TryGetProperty("shape", out var s) || s.ValueKind != JsonValueKind.Array)
        {
            c.Fail(s.ValueKind == JsonValueKind.Undefined ? path : path + ".shape", "shape [" + Text(s) + "] is not an array of dims", "Give \"shape\": [3, 3] ([] for a scalar).");
            ok = false;
        }
        else shape = ReadShape(s, path + ".shape", c);
        if (shape is null) ok = false;

        float[]? constant = null;
        if (desc.TryGetProperty("is_const", out var isConst) && isConst.ValueKind == JsonValueKind.True && shape is not null)
            constant = ReadConstant(desc, path, shape, c);
        string? tensorName = desc.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return ok ? new SingleOpTensor(path, type.Item1, typeName, type.Item2, format, formatCode, shape!, tensorName, constant) : null;
    }

    private static int[]? ReadShape(JsonElement array, string path, OpContext c)
    {
        var dims = new List<int>();
        int i = 0;
        foreach (var dim in array.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long value) || value < -2 || value > int.MaxValue)
            {
                c.Fail(path + "[" + i + "]", "dim [" + dim.GetRawText() + "] is not an integer from 0 to " + int.MaxValue, "Give every dim as a non-negative integer.");
                return null;
            }
            if (value < 0)
            {
                c.Fail(path + "[" + i + "]", "dim " + value + " is dynamic; single ops here are compiled for static shapes",
                    "Give the concrete size (compile one op description per shape you need).");
                return null;
            }
            dims.Add((int)value);
            i++;
        }
        if (dims.Count > 8)
        {
            c.Fail(path, "the shape has " + dims.Count + " dims; at most 8 are supported", "Give a shape of rank 8 or less.");
            return null;
        }
        return [.. dims];
    }

    private static float[]? ReadConstant(JsonElement desc, string path, int[] shape, OpContext c)
    {
        long count = shape.Aggregate(1L, (a, d) => a * d);
        if (!desc.TryGetProperty("const_value", out var values) || values.ValueKind != JsonValueKind.Array || values.GetArrayLength() != count)
        {
            c.Fail(path + ".const_value", "\"is_const\": true needs \"const_value\", a flat array of " + count + " numbers (the shape's element count)",
                "Give the constant's values in row-major order, or leave \"is_const\" out to make the tensor an input of the model.");
            return null;
        }
        var data = new float[count];
        int i = 0;
        foreach (var v in values.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d))
            {
                c.Fail(path + ".const_value[" + i + "]", "value [" + v.GetRawText() + "] is not a finite number", "Give numbers only.");
                return null;
            }
            data[i++] = (float)d;
        }
        return data;
    }

    private static List<SingleOpAttribute> ReadAttributes(JsonElement op, OpContext c)
    {
        var attributes = new List<SingleOpAttribute>();
        if (!op.TryGetProperty("attr", out var array)) return attributes;
        string path = c.Path + ".attr";
        if (array.ValueKind != JsonValueKind.Array)
        {
            c.Fail(path, "\"attr\" is " + Kind(array) + ", not an array", "Write \"attr\": [{\"name\": ..., \"type\": ..., \"value\": ...}].");
            return attributes;
        }
        int i = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attr in array.EnumerateArray())
        {
            string at = path + "[" + i++ + "]";
            if (attr.ValueKind != JsonValueKind.Object)
            {
                c.Fail(at, "the attribute is " + Kind(attr) + ", not an object", "Write {\"name\": \"alpha\", \"type\": \"float\", \"value\": 1.0}.");
                continue;
            }
            CheckFields(attr, AttributeFields, at, "an attribute", c);
            if (!attr.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String || n.GetString()!.Length == 0)
            {
                c.Fail(at, "the attribute has no \"name\"", "Add \"name\": \"<attribute name>\".");
                continue;
            }
            string name = n.GetString()!;
            if (!attr.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String || !AttributeTypes.Contains(t.GetString()!))
            {
                c.Fail(t.ValueKind == JsonValueKind.Undefined ? at : at + ".type", "attribute [" + name + "] has type [" + Text(t) + "], not one of " + string.Join(", ", AttributeTypes),
                    "Give the attribute's type as ATC names it, e.g. \"type\": \"list_int\".");
                continue;
            }
            if (!attr.TryGetProperty("value", out var v))
            {
                c.Fail(at, "attribute [" + name + "] has no \"value\"", "Add \"value\".");
                continue;
            }
            if (!seen.Add(name))
            {
                c.Fail(at, "attribute [" + name + "] is given twice", "Keep one entry per attribute.");
                continue;
            }
            attributes.Add(new SingleOpAttribute(at, name, t.GetString()!, v.Clone()));
        }
        return attributes;
    }

    private static void CheckFields(JsonElement element, string[] known, string path, string what, OpContext c)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (known.Contains(property.Name)) continue;
            var closest = NameSuggestions.Closest(property.Name, known);
            c.Fail(path + "." + property.Name, "\"" + property.Name + "\" is not a field of " + what,
                (closest is null ? "" : "Did you mean \"" + closest + "\"? ") + "The fields are: " + string.Join(", ", known) + ".");
        }
    }

    private static bool IsFileName(string name)
        => name.Length is > 0 and <= 200 && name != "." && name != ".." && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '.');

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };

    private static string Text(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Undefined => "missing",
        JsonValueKind.String => e.GetString()!,
        _ => e.GetRawText(),
    };

    /// <summary>The reader's message without its own "LineNumber: .. | BytePositionInLine: .." suffix (we give both).</summary>
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd().TrimEnd('.');
    }
}
