using System.Collections.Generic;
using System.Text;

namespace Atc.Options.Aipp
{
    /// <summary>
    /// Splits protobuf text format into tokens: identifiers, numbers (signed, decimal or floating point), quoted
    /// strings, ':', '{', '}'; '#' starts a comment to the end of the line; ',' and ';' separate fields and are skipped,
    /// as protobuf's text parser allows. The first character that fits none of these is an ATC3100 error.
    /// </summary>
    public sealed class AippTokenizer
    {
        private readonly string _text;
        private readonly string _file;
        private int _index;
        private int _line = 1;
        private int _column = 1;

        public AippTokenizer(string text, string file)
        {
            _text = text;
            _file = file;
        }

        /// <summary>Every token, ending with <see cref="AippTokenKind.End"/>; throws <see cref="AtcException"/> (ATC3100).</summary>
        public List<AippToken> Tokenize()
        {
            var tokens = new List<AippToken>();
            while (true)
            {
                SkipSpaceAndComments();
                if (_index >= _text.Length)
                {
                    tokens.Add(new AippToken(AippTokenKind.End, "", _line, _column));
                    return tokens;
                }
                tokens.Add(Next());
            }
        }

        private AippToken Next()
        {
            int line = _line, column = _column;
            char c = _text[_index];
            switch (c)
            {
                case ':': Advance(); return new AippToken(AippTokenKind.Colon, ":", line, column);
                case '{': Advance(); return new AippToken(AippTokenKind.OpenBrace, "{", line, column);
                case '}': Advance(); return new AippToken(AippTokenKind.CloseBrace, "}", line, column);
                case '"':
                case '\'':
                    return new AippToken(AippTokenKind.String, ReadString(c, line, column), line, column);
            }
            if (IsIdentifierStart(c))
                return new AippToken(AippTokenKind.Identifier, ReadWhile(IsIdentifierPart), line, column);
            if (IsDigit(c) || c == '-' || c == '+' || c == '.')
                return new AippToken(AippTokenKind.Number, ReadWhile(IsNumberPart), line, column);
            throw AippDiagnostics.Syntax(_file, line, column, "unexpected character [" + AippDiagnostics.Quote(c.ToString()) + "]");
        }

        private string ReadString(char quote, int line, int column)
        {
            Advance();
            var sb = new StringBuilder();
            while (_index < _text.Length && _text[_index] != quote)
            {
                if (_text[_index] == '\n') break;
                sb.Append(_text[_index]);
                Advance();
            }
            if (_index >= _text.Length || _text[_index] != quote)
                throw AippDiagnostics.Syntax(_file, line, column, "the string starting here has no closing " + quote);
            Advance();
            return sb.ToString();
        }

        private string ReadWhile(System.Func<char, bool> accept)
        {
            int start = _index;
            // Signs only lead a number or follow its exponent; the number rule checks the value later.
            while (_index < _text.Length && (accept(_text[_index]) || (_index == start && (_text[_index] == '-' || _text[_index] == '+'))))
                Advance();
            return _text.Substring(start, _index - start);
        }

        private void SkipSpaceAndComments()
        {
            while (_index < _text.Length)
            {
                char c = _text[_index];
                if (c == '#')
                {
                    while (_index < _text.Length && _text[_index] != '\n') Advance();
                }
                else if (char.IsWhiteSpace(c) || c == ',' || c == ';' || c == '\uFEFF')
                {
                    Advance();
                }
                else
                {
                    return;
                }
            }
        }

        private void Advance()
        {
            if (_text[_index] == '\n') { _line++; _column = 1; }
            else _column++;
            _index++;
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';
        private static bool IsIdentifierStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c);
        // Digits, a decimal point, an exponent with its sign, and letters so that "12abc" is one bad number, not two tokens.
        private static bool IsNumberPart(char c) => IsIdentifierPart(c) || c == '.' || c == '-' || c == '+';
    }
}
