using System.Collections.Generic;

namespace Atc.Options.Parsing
{
    /// <summary>The result of reading "1,-1,1~10,3": the axes, or the first problem found.</summary>
    public sealed class DimListResult
    {
        public List<DimSpec> Dims { get; } = new List<DimSpec>();
        /// <summary>A syntax problem, worded to follow ATC's "Reason: " (no final period).</summary>
        public string? FormatError { get; set; }
        /// <summary>An axis that is an integer but not a valid size (0, -2, ...): ATC's E10011 case.</summary>
        public string? NonPositive { get; set; }
        public bool Ok => FormatError is null && NonPositive is null;
    }

    /// <summary>Reads the comma-separated axes of one input: sizes, -1, and ranges a~b (b = -1: unbounded).</summary>
    public static class DimListParser
    {
        public static DimListResult Parse(string dimsText)
        {
            var result = new DimListResult();
            var text = dimsText.Trim();
            if (text.Length == 0) return result; // a scalar
            foreach (var raw in text.Split(','))
            {
                var item = raw.Trim();
                if (item.Length == 0)
                {
                    result.FormatError = "an axis is empty in [" + text + "]";
                    return result;
                }
                if (item.IndexOf('~') >= 0)
                {
                    if (!TryParseRange(item, result)) return result;
                    continue;
                }
                if (!IntegerText.TryParse(item, out long size))
                {
                    result.FormatError = IntegerText.IsOutOfRange(item)
                        ? "[" + item + "] is larger than " + IntegerText.MaxDim + ", the largest size a tensor dimension may have"
                        : "[" + item + "] is not an integer";
                    return result;
                }
                if (size == -1) result.Dims.Add(DimSpec.Dynamic);
                else if (size >= 1) result.Dims.Add(DimSpec.Fixed(size));
                else
                {
                    result.NonPositive = item;
                    return result;
                }
            }
            return result;
        }

        private static bool TryParseRange(string item, DimListResult result)
        {
            var bounds = item.Split('~');
            if (bounds.Length != 2 || !IntegerText.TryParse(bounds[0], out long min) || !IntegerText.TryParse(bounds[1], out long max))
            {
                result.FormatError = bounds.Length == 2 && (IntegerText.IsOutOfRange(bounds[0]) || IntegerText.IsOutOfRange(bounds[1]))
                    ? "range [" + item + "] has a bound larger than " + IntegerText.MaxDim + ", the largest size a tensor dimension may have"
                    : "range [" + item + "] must be written as min~max with integers";
                return false;
            }
            if (min < 1)
            {
                result.FormatError = "range [" + item + "] must start at 1 or more";
                return false;
            }
            if (max != -1 && max < min)
            {
                result.FormatError = "range [" + item + "] has its minimum above its maximum";
                return false;
            }
            result.Dims.Add(DimSpec.Range(min, max));
            return true;
        }
    }
}
