using System.Collections.Generic;
using Atc.Options.Errors;

namespace Atc.Options.Parsing
{
    /// <summary>
    /// Reads the gear options into one array of values per gear (profile). Only the syntax is checked here; counts,
    /// positivity and duplicates are rules (<see cref="ShapeOptionRules"/>), so that every problem is reported.
    /// The syntax is strict, as ATC's: an empty item ("1,2," or "1,,2") or an empty profile ("1,2;;3,4") is a
    /// malformed list, not a shorter one.
    /// </summary>
    public static class GearListParser
    {
        /// <summary>--dynamic_batch_size="1,2,4,8": one value per gear.</summary>
        public static List<long[]> ParseBatch(string? text, ICollection<AtcDiagnostic> diagnostics)
        {
            var gears = new List<long[]>();
            if (string.IsNullOrWhiteSpace(text)) return gears;
            var value = text!.Trim();
            foreach (var raw in value.Split(','))
            {
                var item = raw.Trim();
                if (!TryParseItem(item, out long v, out string? problem))
                {
                    diagnostics.Add(Malformed(AtcOptionNames.DynamicBatchSize, value, item, problem!));
                    return new List<long[]>();
                }
                gears.Add(new[] { v });
            }
            return gears;
        }

        /// <summary>--dynamic_image_size="h,w;h,w": two values per gear (E10020 otherwise).</summary>
        public static List<long[]> ParseImageSize(string? text, ICollection<AtcDiagnostic> diagnostics)
        {
            if (string.IsNullOrWhiteSpace(text)) return new List<long[]>();
            var gears = ParseGroups(text!.Trim(), out string? badItem, out string? problem);
            if (problem == ProblemTooLarge)
            {
                diagnostics.Add(AtcErrors.ValueTooLarge(AtcOptionNames.DynamicImageSize, badItem!, IntegerText.MaxDim));
                return new List<long[]>();
            }
            if (gears is null || gears.Exists(g => g.Length != 2))
            {
                diagnostics.Add(AtcErrors.ImageSizeMalformed(text.Trim(), badItem));
                return new List<long[]>();
            }
            return gears;
        }

        /// <summary>--dynamic_dims="d,d;d,d": the values of every -1 axis, per gear.</summary>
        public static List<long[]> ParseDims(string? text, ICollection<AtcDiagnostic> diagnostics)
        {
            if (string.IsNullOrWhiteSpace(text)) return new List<long[]>();
            var value = text!.Trim();
            var gears = ParseGroups(value, out string? badItem, out string? problem);
            if (gears is null)
            {
                diagnostics.Add(Malformed(AtcOptionNames.DynamicDims, value, badItem ?? "", problem!));
                return new List<long[]>();
            }
            return gears;
        }

        private const string ProblemEmpty = "empty", ProblemNotInteger = "not an integer", ProblemTooLarge = "too large";

        // "a,b;c,d" -> [[a,b],[c,d]]; null (the offending item and what is wrong with it) on the first bad item.
        private static List<long[]>? ParseGroups(string text, out string? badItem, out string? problem)
        {
            badItem = null;
            problem = null;
            var gears = new List<long[]>();
            foreach (var rawGear in text.Split(';'))
            {
                var gear = rawGear.Trim();
                var items = gear.Split(',');
                var values = new long[items.Length];
                for (int i = 0; i < items.Length; i++)
                {
                    var item = items[i].Trim();
                    if (!TryParseItem(item, out values[i], out problem))
                    {
                        badItem = gear.Length == 0 ? "" : item;
                        return null;
                    }
                }
                gears.Add(values);
            }
            return gears;
        }

        private static bool TryParseItem(string item, out long value, out string? problem)
        {
            problem = null;
            if (IntegerText.TryParse(item, out value)) return true;
            problem = item.Length == 0 ? ProblemEmpty : IntegerText.IsOutOfRange(item) ? ProblemTooLarge : ProblemNotInteger;
            return false;
        }

        private static AtcDiagnostic Malformed(string option, string value, string item, string problem)
        {
            switch (problem)
            {
                case ProblemEmpty: return AtcErrors.GearListItemEmpty(option, value);
                case ProblemTooLarge: return AtcErrors.ValueTooLarge(option, item, IntegerText.MaxDim);
                default: return AtcErrors.GearValueNotInteger(option, value, item);
            }
        }
    }
}
