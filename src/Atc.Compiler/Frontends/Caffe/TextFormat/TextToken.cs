namespace Atc.Compiler.Frontends.Caffe.TextFormat;

/// <summary>What a text-format token is: a name or bare word (field names, enum values, true, inf), a number, a
/// quoted string (unescaped), one punctuation character, or the end of the text.</summary>
public enum TextTokenKind { Identifier, Number, String, Symbol, End }

/// <summary>One token with the 1-based line and column where it starts.</summary>
public readonly record struct TextToken(TextTokenKind Kind, string Text, int Line, int Column)
{
    public bool IsSymbol(char symbol) => Kind == TextTokenKind.Symbol && Text.Length == 1 && Text[0] == symbol;

    public string Describe() => Kind switch
    {
        TextTokenKind.End => "the end of the file",
        TextTokenKind.String => "a string",
        _ => "'" + Text + "'",
    };
}
