using System.Collections.Generic;
using Atc.Options.Errors;

namespace Atc.Options.Parsing
{
    /// <summary>One entry of --out_nodes: a node name and its output index ("node:0").</summary>
    public sealed class OutNodeSpec
    {
        public OutNodeSpec(string nodeName, int outputIndex)
        {
            NodeName = nodeName;
            OutputIndex = outputIndex;
        }

        public string NodeName { get; }
        public int OutputIndex { get; }

        public override string ToString() => NodeName + ":" + OutputIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reads --out_nodes="node:0;node2:1". Names may contain ':'; the index follows the last one.</summary>
    public static class OutNodesParser
    {
        public static IReadOnlyList<OutNodeSpec> Parse(string? text, ICollection<AtcDiagnostic> diagnostics)
        {
            var specs = new List<OutNodeSpec>();
            foreach (var entry in OptionEntries.Split(text))
            {
                int colon = entry.LastIndexOf(':');
                if (colon <= 0)
                {
                    diagnostics.Add(AtcErrors.OutNodesMalformed(entry, "[" + entry + "] has no output index",
                        "Write the node name and its output index, e.g. " + ShapeText.Option(AtcOptionNames.OutNodes, entry + ":0") + "."));
                    continue;
                }
                var name = entry.Substring(0, colon).Trim();
                var indexText = entry.Substring(colon + 1).Trim();
                if (name.Length == 0 || !IntegerText.TryParse(indexText, out long index) || index < 0)
                {
                    diagnostics.Add(AtcErrors.OutNodesMalformed(entry,
                        name.Length == 0 ? "the node name is empty" : "the output index [" + indexText + "] is not an integer of 0 or more",
                        "Write the node name and its output index, e.g. " + ShapeText.Option(AtcOptionNames.OutNodes, (name.Length == 0 ? "node" : name) + ":0") + "."));
                    continue;
                }
                specs.Add(new OutNodeSpec(name, (int)index));
            }
            return specs;
        }
    }
}
