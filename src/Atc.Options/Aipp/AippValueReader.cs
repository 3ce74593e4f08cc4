using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Atc.Options.Errors;
using Atc.Options.Rules;

namespace Atc.Options.Aipp
{
    /// <summary>Reads one field's value by its spec: bools, integers and floats in ATC's ranges, enum names.</summary>
    public static class AippValueReader
    {
        private static readonly string[] TrueWords = { "true", "True", "t", "1" };
        private static readonly string[] FalseWords = { "false", "False", "f", "0" };

        /// <summary>The value as a number (bools 0/1, enums their index), or null after adding an E10001 diagnostic.</summary>
        public static double? Read(AippFieldSpec spec, AippRawField field, string file, ICollection<AtcDiagnostic> diagnostics)
        {
            var token = field.Value;
            string text = token.Text;
            switch (spec.Kind)
            {
                case AippFieldKind.Bool:
                    if (token.Kind != AippTokenKind.String && TrueWords.Contains(text)) return 1;
                    if (token.Kind != AippTokenKind.String && FalseWords.Contains(text)) return 0;
                    return Bad("true or false");
                case AippFieldKind.Enum:
                    int index = Array.IndexOf(spec.EnumValues, text);
                    if (index >= 0 && index > spec.Max)
                    {
                        diagnostics.Add(AippDiagnostics.NotSupported(file, token.Line, token.Column,
                            spec.Name + " [" + text + "] is not supported; supported: " + string.Join(", ", spec.EnumValues.Take((int)spec.Max + 1))));
                        return null;
                    }
                    if (index >= 0) return index;
                    var closest = NameSuggestions.Closest(text, spec.EnumValues.Take((int)spec.Max + 1));
                    return Bad("one of " + string.Join(", ", spec.EnumValues.Take((int)spec.Max + 1))
                        + (closest is null ? "" : " (did you mean " + closest + "?)"));
                case AippFieldKind.Int:
                    if (token.Kind == AippTokenKind.Number
                        && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer)
                        && integer >= spec.Min && integer <= spec.Max)
                        return integer;
                    return Bad("an integer from " + Format(spec.Min) + " to " + Format(spec.Max));
                default:
                    if (token.Kind == AippTokenKind.Number
                        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real)
                        && !double.IsNaN(real) && real >= spec.Min && real <= spec.Max)
                        return real;
                    return Bad("a number from " + Format(spec.Min) + " to " + Format(spec.Max));
            }

            double? Bad(string expected)
            {
                diagnostics.Add(AippDiagnostics.BadValue(file, token.Line, token.Column, spec.Name, text, expected));
                return null;
            }
        }

        private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
