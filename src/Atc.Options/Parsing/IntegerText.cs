using System.Globalization;

namespace Atc.Options.Parsing
{
    /// <summary>Integers as ATC's options write them: optional '-', decimal digits, surrounding blanks ignored.</summary>
    public static class IntegerText
    {
        /// <summary>Largest size of one axis; dims are int in the runtime.</summary>
        public const long MaxDim = int.MaxValue;

        /// <summary>An integer within ±<see cref="MaxDim"/>.</summary>
        public static bool TryParse(string text, out long value)
            => TryParseInt64(text, out value) && value >= -MaxDim && value <= MaxDim;

        /// <summary>True when the text is written as an integer but lies outside ±<see cref="MaxDim"/> (so a
        /// message can say "too large" rather than "not an integer").</summary>
        public static bool IsOutOfRange(string text)
            => TryParseInt64(text, out long value) ? value < -MaxDim || value > MaxDim : IsDigits(text.Trim());

        /// <summary>An integer in the full 64-bit range (for values that are not tensor sizes).</summary>
        public static bool TryParseInt64(string text, out long value)
        {
            value = 0;
            var t = text.Trim();
            if (t.Length == 0) return false;
            int start = t[0] == '-' ? 1 : 0;
            if (start == t.Length) return false;
            for (int i = start; i < t.Length; i++)
                if (t[i] < '0' || t[i] > '9') return false;
            return long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        // Digits beyond even a long ("99999999999999999999").
        private static bool IsDigits(string t)
        {
            int start = t.Length > 0 && t[0] == '-' ? 1 : 0;
            if (start == t.Length) return false;
            for (int i = start; i < t.Length; i++)
                if (t[i] < '0' || t[i] > '9') return false;
            return true;
        }
    }
}
