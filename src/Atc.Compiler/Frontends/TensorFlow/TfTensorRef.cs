using Atc.Options;
using Atc.Options.Errors;

namespace Atc.Compiler.Frontends.TensorFlow;

/// <summary>
/// One entry of NodeDef.input: "node" (output 0), "node:k" (output k) or "^node" (a control dependency, which
/// orders execution in TensorFlow but carries no data, so the importer only validates it).
/// </summary>
internal readonly record struct TfTensorRef(string Node, int Index, bool IsControl)
{
    /// <summary>The IR value name of this output: "node" for output 0, "node:k" otherwise.</summary>
    public string ValueName => ValueNameOf(Node, Index);

    public static string ValueNameOf(string node, int index) => index == 0 ? node : node + ":" + index;

    public override string ToString() => IsControl ? "^" + Node : ValueName;

    public static TfTensorRef Parse(string text, string consumer)
    {
        if (text.StartsWith('^'))
            return new TfTensorRef(RequireName(text[1..], text, consumer), 0, IsControl: true);

        // TensorFlow node names never contain ':', so the last ':' separates the output index.
        int colon = text.LastIndexOf(':');
        if (colon < 0) return new TfTensorRef(RequireName(text, text, consumer), 0, IsControl: false);

        string suffix = text[(colon + 1)..];
        if (!int.TryParse(suffix, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index))
            throw new AtcException(AtcErrors.InvalidModel(
                "node [" + consumer + "] has input [" + text + "] whose output index [" + suffix + "] is not a number"));
        return new TfTensorRef(RequireName(text[..colon], text, consumer), index, IsControl: false);
    }

    private static string RequireName(string name, string text, string consumer) => name.Length > 0 ? name
        : throw new AtcException(AtcErrors.InvalidModel("node [" + consumer + "] has input [" + text + "] without a node name"));
}
