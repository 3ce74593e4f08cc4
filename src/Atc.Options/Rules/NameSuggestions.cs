using System.Collections.Generic;
using Atc.Options.Errors;

namespace Atc.Options.Rules
{
    /// <summary>"Did you mean" for names: the closest candidate by edit distance, when it is close enough.</summary>
    public static class NameSuggestions
    {
        public static string? Closest(string name, IEnumerable<string> candidates)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (var c in candidates)
            {
                int d = Distance(name.ToLowerInvariant(), c.ToLowerInvariant());
                // On a tie, the candidate closest in length ("modle" is "model" misspelled, not "mode").
                bool better = d < bestDistance
                    || (d == bestDistance && best != null && System.Math.Abs(c.Length - name.Length) < System.Math.Abs(best.Length - name.Length));
                if (better) { best = c; bestDistance = d; }
            }
            // Close enough: at most a third of the name differs.
            return best != null && bestDistance <= System.Math.Max(2, name.Length / 3) ? best : null;
        }

        /// <summary>Edit distance where swapping two neighbouring letters counts as one edit ("modle" → "model").</summary>
        public static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
            for (int j = 0; j <= b.Length; j++) d[0, j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    d[i, j] = System.Math.Min(System.Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                        d[i, j] = System.Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
            return d[a.Length, b.Length];
        }
    }
}
