using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Operators;
using Atc.Runtime.Operators.Text;

namespace Atc.Compiler.Frontends.Onnx.Lowering;

/// <summary>Text features over integer token ids: TfIdfVectorizer (string pools need string tensors, which the
/// runtime does not have, and are reported unsupported).</summary>
internal static class TextLowerings
{
    public static void Register(Dictionary<string, OnnxLowering> table) => table[OpTypes.TfIdfVectorizer] = TfIdfVectorizer;

    private static void TfIdfVectorizer(NodeLowering n)
    {
        if (n.Node.Has("pool_strings"))
        {
            n.Unsupported("TfIdfVectorizer with pool_strings");
            return;
        }
        string mode = n.Node.String("mode", "TF");
        if (Array.IndexOf(TfIdfVectorizerOperator.Modes, mode) < 0)
            throw new AtcException(AtcErrors.AttributeValueUnsupported(n.Node.Name, n.OpType, "mode", mode, TfIdfVectorizerOperator.Modes));
        var attributes = OnnxAttributes.Copy(n, "min_gram_length", "max_gram_length", "max_skip_count", "ngram_counts",
            "ngram_indexes", "pool_int64s", "weights").Set("mode", mode);
        n.Emit(OpTypes.TfIdfVectorizer, [n.RequiredInput(0, "X")], attributes, 1, DataType.Float32);
    }
}
