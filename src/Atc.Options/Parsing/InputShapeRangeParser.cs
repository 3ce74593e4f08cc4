using System.Collections.Generic;
using Atc.Options.Errors;

namespace Atc.Options.Parsing
{
    /// <summary>
    /// Reads --input_shape_range (ATC's older form of ranges): "name:[1~10,224,224,3];name2:[...]", or without names
    /// "[1~10,224,224,3];[...]", which then apply to the model's inputs in order. -1 means any size (1~-1).
    /// </summary>
    public static class InputShapeRangeParser
    {
        public const string Sample = "input_name1:[n1,c1,h1,w1];input_name2:[n2,c2,h2,w2]";

        public static IReadOnlyList<InputShapeSpec> Parse(string? text, ICollection<AtcDiagnostic> diagnostics)
        {
            var specs = new List<InputShapeSpec>();
            if (string.IsNullOrWhiteSpace(text)) return specs;
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var entry in OptionEntries.Split(text))
            {
                int open = entry.LastIndexOf('[');
                if (open < 0 || entry[entry.Length - 1] != ']')
                {
                    diagnostics.Add(AtcErrors.InputShapeRangeMalformed(entry, "the shape of [" + entry + "] is not enclosed in [ ]"));
                    continue;
                }
                string? name = null;
                var prefix = entry.Substring(0, open).Trim();
                if (prefix.Length > 0)
                {
                    if (prefix[prefix.Length - 1] != ':')
                    {
                        diagnostics.Add(AtcErrors.InputShapeRangeMalformed(entry, "the input name must be followed by ':'"));
                        continue;
                    }
                    name = prefix.Substring(0, prefix.Length - 1).Trim();
                    if (name.Length == 0)
                    {
                        diagnostics.Add(AtcErrors.InputShapeRangeMalformed(entry, "the input name before ':' is empty"));
                        continue;
                    }
                }
                var dims = DimListParser.Parse(entry.Substring(open + 1, entry.Length - open - 2));
                if (!dims.Ok)
                {
                    diagnostics.Add(AtcErrors.InputShapeRangeMalformed(entry,
                        dims.FormatError ?? "[" + dims.NonPositive + "] is not a valid size"));
                    continue;
                }
                if (name != null && !seen.Add(name))
                {
                    diagnostics.Add(AtcErrors.InputShapeRangeMalformed(entry, "input [" + name + "] is given more than once"));
                    continue;
                }
                specs.Add(new InputShapeSpec(name, dims.Dims, entry));
            }
            bool named = specs.Exists(s => s.Name != null), nameless = specs.Exists(s => s.Name == null);
            if (named && nameless)
            {
                diagnostics.Add(AtcErrors.InputShapeRangeMalformed(text!.Trim(), "either every entry names its input or none does"));
                specs.Clear();
            }
            return specs;
        }
    }
}
