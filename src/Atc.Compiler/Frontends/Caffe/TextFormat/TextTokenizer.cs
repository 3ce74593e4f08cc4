using System.Text;

namespace Atc.Compiler.Frontends.Caffe.TextFormat;

/// <summary>
/// Splits protobuf text format into tokens: '#' comments and whitespace are skipped, strings take C escapes
/// (\n, \t, \", \\, octal and \x hex) in single or double quotes, numbers keep their sign and exponent as written
/// (the reader converts them by the field's type).
/// </summary>
public sealed class TextTokenizer(string text)
{
    private int _position;
    private int _line = 1;
    private int _column = 1;

    public TextToken Next()
    {
        SkipSpaceAndComments();
        if (_position >= text.Length) return new TextToken(TextTokenKind.End, "", _line, _column);
        int line = _line, column = _column;
        char c = text[_position];
        if (c is '"' or '\'') return new TextToken(TextTokenKind.String, ReadString(c, line, column), line, column);
        if (char.IsAsciiDigit(c) || ((c is '-' or '+' or '.') && _position + 1 < text.Length && (char.IsAsciiLetterOrDigit(text[_position + 1]) || text[_position + 1] == '.')))
            return new TextToken(TextTokenKind.Number, ReadWhile(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '+' or '_'), line, column);
        if (char.IsAsciiLetter(c) || c == '_')
            return new TextToken(TextTokenKind.Identifier, ReadWhile(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '.'), line, column);
        Advance();
        return new TextToken(TextTokenKind.Symbol, c.ToString(), line, column);
    }

    private void SkipSpaceAndComments()
    {
        while (_position < text.Length)
        {
            char c = text[_position];
            if (c == '#')
                while (_position < text.Length && text[_position] != '\n') Advance();
            else if (char.IsWhiteSpace(c)) Advance();
            else return;
        }
    }

    private string ReadWhile(Func<char, bool> accept)
    {
        int start = _position;
        while (_position < text.Length && accept(text[_position])) Advance();
        return text[start.._position];
    }

    private string ReadString(char quote, int line, int column)
    {
        Advance();
        var value = new StringBuilder();
        while (true)
        {
            if (_position >= text.Length || text[_position] == '\n')
                throw new TextFormatException(line, column, "", "the string that starts here is not closed (a " + quote + " is missing)");
            char c = text[_position];
            Advance();
            if (c == quote) return value.ToString();
            if (c != '\\') { value.Append(c); continue; }
            if (_position >= text.Length) throw new TextFormatException(_line, _column, "", "the text ends inside an escape sequence");
            char e = text[_position];
            Advance();
            switch (e)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case 'a': value.Append('\a'); break;
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'v': value.Append('\v'); break;
                case 'x':
                    value.Append((char)ReadDigits(16, 2, line, column));
                    break;
                case >= '0' and <= '7':
                    _position--; _column--;
                    value.Append((char)ReadDigits(8, 3, line, column));
                    break;
                default: value.Append(e); break; // \" \' \\ \?
            }
        }
    }

    private int ReadDigits(int radix, int maxDigits, int line, int column)
    {
        int value = 0, count = 0;
        while (count < maxDigits && _position < text.Length)
        {
            int digit = HexValue(text[_position]);
            if (digit < 0 || digit >= radix) break;
            value = value * radix + digit;
            Advance();
            count++;
        }
        if (count == 0) throw new TextFormatException(line, column, "", "a string has an escape sequence without digits");
        return value;
    }

    private static int HexValue(char c)
        => c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : -1;

    private void Advance()
    {
        if (text[_position] == '\n') { _line++; _column = 1; }
        else _column++;
        _position++;
    }
}
