using System.Text;
using System.Text.Json;

namespace Atc.Compiler.SingleOp;

/// <summary>
/// Line and column (1-based) of every value in a JSON text, by path ("[0].input_desc[1].shape"), so errors found after
/// parsing (JsonDocument keeps no positions) can point into the file. Built with one forward pass of the reader.
/// </summary>
internal sealed class JsonPositions
{
    private readonly Dictionary<string, (int Line, int Column)> _at = new(StringComparer.Ordinal);

    private JsonPositions() { }

    /// <summary>
    /// The first string or property name whose escapes do not form valid UTF-16 (a lone surrogate such as "\ud800"),
    /// as its line and column; null when there is none. JsonDocument accepts such text, but reading it as a .NET
    /// string fails, so the reader checks this once, before any value is read.
    /// </summary>
    public static (int Line, int Column)? FirstInvalidString(byte[] utf8, JsonReaderOptions options)
    {
        var reader = new Utf8JsonReader(utf8, options);
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;
            try
            {
                reader.GetString();
            }
            catch (InvalidOperationException)
            {
                return new LineIndex(utf8).At((int)reader.TokenStartIndex);
            }
        }
        return null;
    }

    /// <summary>The positions of <paramref name="utf8"/>, which must already have parsed as JSON with valid strings.</summary>
    public static JsonPositions Of(byte[] utf8, JsonReaderOptions options)
    {
        var positions = new JsonPositions();
        var reader = new Utf8JsonReader(utf8, options);
        // One frame per open container: its path, whether it is an array, and the next index or pending property.
        var frames = new Stack<(string Path, bool IsArray, int Index)>();
        string? property = null;
        var lines = new LineIndex(utf8);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                property = reader.GetString();
                continue;
            }
            if (reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject)
            {
                frames.Pop();
                continue;
            }
            string path;
            if (frames.Count == 0) path = "";
            else
            {
                var top = frames.Pop();
                if (top.IsArray)
                {
                    path = top.Path + "[" + top.Index + "]";
                    frames.Push(top with { Index = top.Index + 1 });
                }
                else
                {
                    path = top.Path.Length == 0 ? property ?? "" : top.Path + "." + property;
                    frames.Push(top);
                }
            }
            positions._at.TryAdd(path, lines.At((int)reader.TokenStartIndex));
            if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                frames.Push((path, reader.TokenType == JsonTokenType.StartArray, 0));
        }
        return positions;
    }

    /// <summary>The position of the value at <paramref name="path"/>, else of its nearest enclosing value.</summary>
    public (int Line, int Column) At(string path)
    {
        while (true)
        {
            if (_at.TryGetValue(path, out var at)) return at;
            if (path.Length == 0) return (1, 1);
            int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            path = cut <= 0 ? "" : path[..cut];
        }
    }

    /// <summary>Byte offset → line and column (in characters).</summary>
    internal sealed class LineIndex(byte[] utf8)
    {
        private readonly List<int> _lineStarts = Starts(utf8);

        private static List<int> Starts(byte[] bytes)
        {
            var starts = new List<int> { 0 };
            for (int i = 0; i < bytes.Length; i++)
                if (bytes[i] == (byte)'\n') starts.Add(i + 1);
            return starts;
        }

        public (int Line, int Column) At(int offset)
        {
            int line = _lineStarts.BinarySearch(offset);
            if (line < 0) line = ~line - 1;
            int start = _lineStarts[line];
            return (line + 1, Encoding.UTF8.GetCharCount(utf8, start, offset - start) + 1);
        }
    }
}
