using System.Collections.Generic;
using Atc.Options.Errors;

namespace Atc.Options.Aipp
{
    /// <summary>One "name: value" line of an aipp_op block, as written.</summary>
    public sealed class AippRawField
    {
        public AippRawField(string name, AippToken value, int line, int column)
        {
            Name = name;
            Value = value;
            Line = line;
            Column = column;
        }

        public string Name { get; }
        public AippToken Value { get; }
        /// <summary>Where the field name starts.</summary>
        public int Line { get; }
        public int Column { get; }
    }

    /// <summary>One aipp_op block: where it starts and its fields in file order.</summary>
    public sealed class AippRawBlock
    {
        public AippRawBlock(int line, int column)
        {
            Line = line;
            Column = column;
        }

        public int Line { get; }
        public int Column { get; }
        public List<AippRawField> Fields { get; } = new List<AippRawField>();
    }

    /// <summary>
    /// The grammar of an AIPP file: { "aipp_op" [":"] "{" { name ":" scalar } "}" }. Nested blocks other than
    /// aipp_op are not AIPP fields (ATC3101); anything out of place is ATC3100 with its line and column. Iterative, so no
    /// input drives recursion.
    /// </summary>
    public sealed class AippTextParser
    {
        public const string BlockName = "aipp_op";

        private readonly List<AippToken> _tokens;
        private readonly string _file;
        private int _position;

        private AippTextParser(List<AippToken> tokens, string file)
        {
            _tokens = tokens;
            _file = file;
        }

        /// <summary>The blocks of <paramref name="text"/>; throws <see cref="AtcException"/> on the first syntax error.</summary>
        public static List<AippRawBlock> Parse(string text, string file)
            => new AippTextParser(new AippTokenizer(text, file).Tokenize(), file).ParseFile();

        private List<AippRawBlock> ParseFile()
        {
            var blocks = new List<AippRawBlock>();
            while (Peek.Kind != AippTokenKind.End)
            {
                var name = Expect(AippTokenKind.Identifier, "expected [aipp_op {]");
                if (name.Text != BlockName)
                    throw AippDiagnostics.UnknownField(_file, name.Line, name.Column, name.Text, "the AIPP file (only aipp_op blocks are)", new[] { BlockName });
                if (Peek.Kind == AippTokenKind.Colon) _position++;
                Expect(AippTokenKind.OpenBrace, "expected [{] after aipp_op");
                blocks.Add(ParseBlock(name));
            }
            if (blocks.Count == 0)
                throw AippDiagnostics.Syntax(_file, Peek.Line, Peek.Column, "the file has no aipp_op block");
            return blocks;
        }

        private AippRawBlock ParseBlock(AippToken start)
        {
            var block = new AippRawBlock(start.Line, start.Column);
            while (true)
            {
                var token = Peek;
                if (token.Kind == AippTokenKind.CloseBrace) { _position++; return block; }
                if (token.Kind == AippTokenKind.End)
                    throw AippDiagnostics.Syntax(_file, start.Line, start.Column, "the aipp_op block starting here has no closing [}]");
                var name = Expect(AippTokenKind.Identifier, "expected a field name or [}]");
                if (Peek.Kind == AippTokenKind.OpenBrace || (Peek.Kind == AippTokenKind.Colon && PeekAt(1).Kind == AippTokenKind.OpenBrace))
                    throw AippDiagnostics.UnknownField(_file, name.Line, name.Column, name.Text, "aipp_op (it has no nested blocks)", AippFieldTable.Names);
                Expect(AippTokenKind.Colon, "expected [:] after field [" + AippDiagnostics.Quote(name.Text) + "]");
                var value = Peek;
                if (value.Kind != AippTokenKind.Identifier && value.Kind != AippTokenKind.Number && value.Kind != AippTokenKind.String)
                    throw AippDiagnostics.Syntax(_file, value.Line, value.Column, "expected a value for field [" + AippDiagnostics.Quote(name.Text) + "]");
                _position++;
                block.Fields.Add(new AippRawField(name.Text, value, name.Line, name.Column));
            }
        }

        private AippToken Peek => _tokens[_position];

        private AippToken PeekAt(int offset) => _tokens[System.Math.Min(_position + offset, _tokens.Count - 1)];

        private AippToken Expect(AippTokenKind kind, string message)
        {
            var token = Peek;
            if (token.Kind != kind)
                throw AippDiagnostics.Syntax(_file, token.Line, token.Column,
                    message + (token.Kind == AippTokenKind.End ? ", found the end of the file" : ", found [" + AippDiagnostics.Quote(token.Text) + "]"));
            _position++;
            return token;
        }
    }
}
