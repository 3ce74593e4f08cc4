using System.Collections.Generic;

namespace Atc.Options
{
    /// <summary>
    /// Reads the gear options into one array of values per gear (profile). Only the syntax is checked here; counts,
    /// positivity and duplicates are rules (<see cref="ShapeOptionRules"/>), so that every problem is reported.
    /// </summary>
    public static class GearListParser
    {
        /// <summary>--dynamic_batch_size="1,2,4,8": one value per gear (empty entries are ignored).</summary>
        public static List<long[]> ParseBatch(string? text, ICollection<AtcDiagnostic> diagnostics)
        {
            var gears = new List<long[]>();
            if (string.IsNullOrWhiteSpace(text)) return gears;
            foreach (var raw in text!.Split(','))
            {
                var item = raw.Trim();
                if (item.Length == 0) continue;
                if (!IntegerText.TryParse(item, out long value))
                {
                    diagnostics.Add(AtcErrors.GearValueNotInteger(AtcOptionNames.DynamicBatchSize, text.Trim(), item));
                    return new List<long[]>();
                }
                gears.Add(new[] { value });
            }
            return gears;
        }

        /// <summary>--dynamic_image_size="h,w;h,w": two values per gear (E10020 otherwise).</summary>
        public static List<long[]> ParseImageSize(string? text, ICollection<AtcDiagnostic> diagnostics)
        {
            var gears = ParseGroups(text, out string? badItem);
            if (gears is null || gears.Exists(g => g.Length != 2))
            {
                diagnostics.Add(AtcErrors.ImageSizeMalformed(text!.Trim(), badItem));
                return new List<long[]>();
            }
            return gears;
        }

        /// <summary>--dynamic_dims="d,d;d,d": the values of every -1 axis, per gear.</summary>
        public static List<long[]> ParseDims(string? text, ICollection<AtcDiagnostic> diagnostics)
        {
            var gears = ParseGroups(text, out string? badItem);
            if (gears is null)
            {
                diagnostics.Add(AtcErrors.GearValueNotInteger(AtcOptionNames.DynamicDims, text!.Trim(), badItem ?? ""));
                return new List<long[]>();
            }
            return gears;
        }

        // "a,b;c,d" -> [[a,b],[c,d]]; null (and the offending item) when an item is not an integer.
        private static List<long[]>? ParseGroups(string? text, out string? badItem)
        {
            badItem = null;
            var gears = new List<long[]>();
            foreach (var gear in OptionEntries.Split(text))
            {
                var items = gear.Split(',');
                var values = new long[items.Length];
                for (int i = 0; i < items.Length; i++)
                {
                    if (!IntegerText.TryParse(items[i], out values[i]))
                    {
                        badItem = items[i].Trim();
                        return null;
                    }
                }
                gears.Add(values);
            }
            return gears;
        }
    }
}
