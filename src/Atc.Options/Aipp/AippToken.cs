namespace Atc.Options.Aipp
{
    /// <summary>Kinds of protobuf text-format tokens an AIPP file uses.</summary>
    public enum AippTokenKind { Identifier, Number, String, Colon, OpenBrace, CloseBrace, End }

    /// <summary>One token with its 1-based line and column, for messages that point at the text.</summary>
    public readonly struct AippToken
    {
        public AippToken(AippTokenKind kind, string text, int line, int column)
        {
            Kind = kind;
            Text = text;
            Line = line;
            Column = column;
        }

        public AippTokenKind Kind { get; }
        /// <summary>The token as written (a string token without its quotes).</summary>
        public string Text { get; }
        public int Line { get; }
        public int Column { get; }
    }
}
