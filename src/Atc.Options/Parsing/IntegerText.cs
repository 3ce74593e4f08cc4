using System.Globalization;

namespace Atc.Options
{
    /// <summary>Integers as ATC's options write them: optional '-', decimal digits, surrounding blanks ignored.</summary>
    public static class IntegerText
    {
        /// <summary>Largest size of one axis; dims are int in the runtime.</summary>
        public const long MaxDim = int.MaxValue;

        public static bool TryParse(string text, out long value)
        {
            value = 0;
            var t = text.Trim();
            if (t.Length == 0) return false;
            int start = t[0] == '-' ? 1 : 0;
            if (start == t.Length) return false;
            for (int i = start; i < t.Length; i++)
                if (t[i] < '0' || t[i] > '9') return false;
            return long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
                && value >= -MaxDim && value <= MaxDim;
        }
    }
}
