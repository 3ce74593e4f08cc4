using System.Linq;
using System.Text.RegularExpressions;

namespace Atc.Options
{
    /// <summary>
    /// ATC's --soc_version values (Ascend chips by family: 310, 310B*, 310P*, 610, 615, 910, 910A/B, 910B1-4,
    /// 910_93xx, 950, and the BS9SX/MC61 automotive parts). The value is checked as ATC would and recorded in the .om;
    /// the code this compiler generates is for its portable CPU runtime whatever the value.
    /// </summary>
    public static class SocVersions
    {
        public const string Families = "Ascend310, Ascend310B1-4, Ascend310P1/P3/P5/P7, Ascend610, Ascend610Lite, Ascend615, "
            + "Ascend910, Ascend910A, Ascend910B, Ascend910ProA/ProB/PremiumA, Ascend910B1-4, Ascend910_93xx, Ascend950, "
            + "BS9SX1A, BS9SX2A, MC61AM21A";

        private static readonly Regex Known = new Regex(
            "^(?:Ascend310(?:B[1-4]?|P[1357]?(?:vir\\d{2})?)?"
            + "|Ascend610(?:Lite)?|Ascend615"
            + "|Ascend910(?:A|B|ProA|ProB|PremiumA|B[1-4](?:-1)?|B2C|_93(?:\\d{2})?)?"
            + "|Ascend950(?:DT|PR)?|Ascend031|Ascend035[AB]?"
            + "|BS9SX1A[A-Z]?|BS9SX2A[A-Z]?|MC61AM21A[A-Z]?|MC62CM12A|SD3403|Hi3796CV300(?:ES|CS))$",
            RegexOptions.CultureInvariant);

        public static bool IsKnown(string value) => Known.IsMatch(value);

        /// <summary>The accepted spelling of a value that only differs in letter case or blanks ("ascend 310" → "Ascend310").</summary>
        public static string? Canonical(string value)
        {
            var compact = new string(value.Where(c => !char.IsWhiteSpace(c)).ToArray());
            if (IsKnown(compact)) return compact;
            foreach (var prefix in new[] { "Ascend", "BS9SX", "MC6", "SD", "Hi" })
            {
                if (compact.StartsWith(prefix, System.StringComparison.OrdinalIgnoreCase))
                {
                    var candidate = prefix + compact.Substring(prefix.Length).ToUpperInvariant()
                        .Replace("LITE", "Lite").Replace("PROA", "ProA").Replace("PROB", "ProB").Replace("PREMIUMA", "PremiumA").Replace("VIR", "vir");
                    if (IsKnown(candidate)) return candidate;
                }
            }
            return null;
        }
    }
}
