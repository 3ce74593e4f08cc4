using System.Collections.Generic;
using Atc.Options.Errors;

namespace Atc.Options.Parsing
{
    /// <summary>
    /// Reads --input_shape: "name:dims;name2:dims". A name may itself contain ':' (TensorFlow "x:0"), so the shape
    /// starts after the LAST ':'. Empty dims mean a scalar; blanks around names and numbers are ignored, as are empty
    /// entries (a trailing ';'). Every malformed entry is reported; the well-formed ones are returned.
    /// </summary>
    public static class InputShapeParser
    {
        public const string Sample = "input_name1:n1,c1,h1,w1;input_name2:n2,c2,h2,w2";

        public static IReadOnlyList<InputShapeSpec> Parse(string? text, ICollection<AtcDiagnostic> diagnostics)
        {
            var specs = new List<InputShapeSpec>();
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var entry in OptionEntries.Split(text))
            {
                int colon = entry.LastIndexOf(':');
                if (colon < 0)
                {
                    diagnostics.Add(AtcErrors.InputShapeMalformed(entry,
                        "input [" + entry + "] has no ':' between its name and its shape",
                        "Write the input name, a colon and the shape, e.g. " + ShapeText.Option(AtcOptionNames.InputShape, "input:" + entry) + "."));
                    continue;
                }
                var name = entry.Substring(0, colon).Trim();
                if (name.Length == 0)
                {
                    diagnostics.Add(AtcErrors.InputShapeMalformed(entry, "the input name before ':' is empty",
                        "Put the model's input name before the ':'."));
                    continue;
                }
                var dims = DimListParser.Parse(entry.Substring(colon + 1));
                if (dims.FormatError != null)
                {
                    diagnostics.Add(AtcErrors.InputShapeMalformed(entry, dims.FormatError,
                        "Write each axis as a positive integer, -1 (dynamic) or min~max (a range), separated by ','."));
                    continue;
                }
                if (dims.NonPositive != null)
                {
                    diagnostics.Add(AtcErrors.InputShapeNotPositive(entry, dims.NonPositive));
                    continue;
                }
                if (!seen.Add(name))
                {
                    diagnostics.Add(AtcErrors.InputShapeMalformed(entry, "input [" + name + "] is given more than once",
                        "Give each input once in --input_shape."));
                    continue;
                }
                specs.Add(new InputShapeSpec(name, dims.Dims, entry));
            }
            return specs;
        }
    }
}
