using System.Collections;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Atc.Compiler.Frontends.Caffe.TextFormat;

/// <summary>
/// Reads protobuf text format (what Caffe's .prototxt files are, and what C++'s TextFormat::Parse reads) into a
/// Google.Protobuf message through its descriptors; Google.Protobuf for .NET has no text-format parser. Covers
/// scalars, enums by name or number, strings (adjacent ones concatenated), nested messages in { } or &lt; &gt;, the
/// [a, b] list form for repeated fields, and optional ',' or ';' between fields. Unknown fields, a value of the wrong
/// kind, a singular field given twice and nesting deeper than <see cref="MaxDepth"/> are errors with line and column.
/// </summary>
public static class TextFormatReader
{
    /// <summary>Deepest message nesting accepted (Caffe's deepest is 4); bounds the recursion of the reader.</summary>
    public const int MaxDepth = 32;

    /// <param name="fieldCheck">called with every field name before its value is read; a non-null exception is
    /// thrown (the Caffe importer rejects V1 'layers' there with ATC's own code).</param>
    public static T Parse<T>(string text, MessageParser<T> parser, Func<FieldDescriptor, TextToken, Exception?>? fieldCheck = null)
        where T : IMessage<T>
    {
        var message = parser.ParseFrom(ByteString.Empty);
        var tokens = new TokenStream(new TextTokenizer(text), fieldCheck);
        ReadFields(tokens, message, end: null, depth: 0);
        return message;
    }

    private static void ReadFields(TokenStream tokens, IMessage message, char? end, int depth)
    {
        var descriptor = message.Descriptor;
        var seen = new HashSet<int>();
        while (true)
        {
            var token = tokens.Next();
            if (end is null && token.Kind == TextTokenKind.End) return;
            if (end is { } close && token.IsSymbol(close)) return;
            if (token.Kind != TextTokenKind.Identifier)
                throw new TextFormatException(token.Line, token.Column, "",
                    token.Kind == TextTokenKind.End
                        ? "the file ends inside a message of type " + descriptor.Name + " (a '" + end + "' is missing)"
                        : "expected a field name of " + descriptor.Name + ", found " + token.Describe());
            var field = descriptor.FindFieldByName(token.Text)
                ?? throw new TextFormatException(token.Line, token.Column, token.Text,
                    "message type " + descriptor.Name + " has no field named '" + token.Text + "'");
            if (!field.IsRepeated && !seen.Add(field.FieldNumber))
                throw new TextFormatException(token.Line, token.Column, field.Name, "field '" + field.Name + "' is given more than once, but it is not repeated");
            if (tokens.FieldCheck?.Invoke(field, token) is { } rejected) throw rejected;

            if (field.FieldType is FieldType.Message or FieldType.Group)
                ReadMessageField(tokens, message, field, depth);
            else
                ReadScalarField(tokens, message, field);

            var after = tokens.Peek();
            if (after.IsSymbol(',') || after.IsSymbol(';')) tokens.Next();
        }
    }

    private static void ReadMessageField(TokenStream tokens, IMessage message, FieldDescriptor field, int depth)
    {
        var open = tokens.Next();
        if (open.IsSymbol(':')) open = tokens.Next();
        char close = open.IsSymbol('{') ? '}' : open.IsSymbol('<') ? '>' : '\0';
        if (close == '\0')
            throw new TextFormatException(open.Line, open.Column, field.Name, "expected '{' to open message field '" + field.Name + "', found " + open.Describe());
        if (depth + 1 > MaxDepth)
            throw new TextFormatException(open.Line, open.Column, field.Name, "messages are nested deeper than " + MaxDepth + " levels");
        IMessage child;
        if (field.IsRepeated)
        {
            child = field.MessageType.Parser.ParseFrom(ByteString.Empty);
            ((IList)field.Accessor.GetValue(message)).Add(child);
        }
        else
        {
            child = (IMessage?)field.Accessor.GetValue(message) ?? field.MessageType.Parser.ParseFrom(ByteString.Empty);
            field.Accessor.SetValue(message, child);
        }
        ReadFields(tokens, child, close, depth + 1);
    }

    private static void ReadScalarField(TokenStream tokens, IMessage message, FieldDescriptor field)
    {
        var colon = tokens.Next();
        if (!colon.IsSymbol(':'))
            throw new TextFormatException(colon.Line, colon.Column, field.Name, "expected ':' after field name '" + field.Name + "', found " + colon.Describe());
        if (field.IsRepeated && tokens.Peek().IsSymbol('['))
        {
            tokens.Next();
            var list = (IList)field.Accessor.GetValue(message);
            if (tokens.Peek().IsSymbol(']')) { tokens.Next(); return; }
            while (true)
            {
                list.Add(ReadScalar(tokens, field));
                var separator = tokens.Next();
                if (separator.IsSymbol(']')) return;
                if (!separator.IsSymbol(','))
                    throw new TextFormatException(separator.Line, separator.Column, field.Name, "expected ',' or ']' in the list of '" + field.Name + "', found " + separator.Describe());
            }
        }
        var value = ReadScalar(tokens, field);
        if (field.IsRepeated) ((IList)field.Accessor.GetValue(message)).Add(value);
        else field.Accessor.SetValue(message, value);
    }

    private static object ReadScalar(TokenStream tokens, FieldDescriptor field)
    {
        var token = tokens.Next();
        switch (field.FieldType)
        {
            case FieldType.String:
            case FieldType.Bytes:
                if (token.Kind != TextTokenKind.String) throw Expected(token, field, "a quoted string");
                var text = token.Text;
                while (tokens.Peek().Kind == TextTokenKind.String) text += tokens.Next().Text;
                return field.FieldType == FieldType.String ? text : ByteString.CopyFrom(text.Select(c => (byte)c).ToArray());
            case FieldType.Bool:
                if (token.Text is "true" or "True" or "t" or "1") return true;
                if (token.Text is "false" or "False" or "f" or "0") return false;
                throw Expected(token, field, "true or false");
            case FieldType.Enum:
                var byName = token.Kind == TextTokenKind.Identifier ? field.EnumType.FindValueByName(token.Text) : null;
                if (byName is null && token.Kind == TextTokenKind.Number && int.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number))
                    byName = field.EnumType.FindValueByNumber(number);
                if (byName is null)
                    throw Expected(token, field, "one of " + string.Join(", ", field.EnumType.Values.Select(v => v.Name)));
                return Enum.ToObject(field.EnumType.ClrType, byName.Number);
            case FieldType.Float:
            case FieldType.Double:
                double real = ParseReal(token, field);
                return field.FieldType == FieldType.Float ? (object)(float)real : real;
            case FieldType.Int32:
            case FieldType.SInt32:
            case FieldType.SFixed32:
                return (int)ParseInteger(token, field, int.MinValue, int.MaxValue);
            case FieldType.Int64:
            case FieldType.SInt64:
            case FieldType.SFixed64:
                return (long)ParseInteger(token, field, long.MinValue, long.MaxValue);
            case FieldType.UInt32:
            case FieldType.Fixed32:
                return (uint)ParseInteger(token, field, 0, uint.MaxValue);
            case FieldType.UInt64:
            case FieldType.Fixed64:
                return (ulong)ParseInteger(token, field, 0, long.MaxValue);
            default:
                throw new TextFormatException(token.Line, token.Column, field.Name, "field '" + field.Name + "' has a type this reader does not read");
        }
    }

    private static double ParseReal(TextToken token, FieldDescriptor field)
    {
        var text = token.Text;
        if (token.Kind == TextTokenKind.Identifier || token.Kind == TextTokenKind.Number)
        {
            var lower = text.ToLowerInvariant();
            if (lower is "inf" or "infinity" or "+inf" or "+infinity") return double.PositiveInfinity;
            if (lower is "-inf" or "-infinity") return double.NegativeInfinity;
            if (lower == "nan") return double.NaN;
            // C++ text format accepts a float suffix ("1.5f").
            if (token.Kind == TextTokenKind.Number && double.TryParse(lower.EndsWith('f') ? lower[..^1] : lower, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) return value;
        }
        throw Expected(token, field, "a number");
    }

    private static decimal ParseInteger(TextToken token, FieldDescriptor field, decimal min, decimal max)
    {
        if (token.Kind == TextTokenKind.Number)
        {
            var text = token.Text;
            bool negative = text.StartsWith('-');
            var digits = text.TrimStart('-', '+');
            bool parsed = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong magnitude)
                : ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);
            if (parsed)
            {
                decimal value = negative ? -(decimal)magnitude : magnitude;
                if (value < min || value > max)
                    throw new TextFormatException(token.Line, token.Column, field.Name,
                        "value " + text + " of field '" + field.Name + "' is outside its range [" + min + ", " + max + "]");
                return value;
            }
        }
        throw Expected(token, field, "an integer");
    }

    private static TextFormatException Expected(TextToken token, FieldDescriptor field, string what)
        => new(token.Line, token.Column, field.Name, "field '" + field.Name + "' expects " + what + ", found " + token.Describe());

    /// <summary>The tokenizer with one token of look-ahead.</summary>
    private sealed class TokenStream(TextTokenizer tokenizer, Func<FieldDescriptor, TextToken, Exception?>? fieldCheck)
    {
        public Func<FieldDescriptor, TextToken, Exception?>? FieldCheck { get; } = fieldCheck;

        private TextToken? _peeked;

        public TextToken Next()
        {
            if (_peeked is { } token) { _peeked = null; return token; }
            return tokenizer.Next();
        }

        public TextToken Peek() => _peeked ??= tokenizer.Next();
    }
}
