using System.Collections.Generic;

namespace Atc.Options
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
                if (d < bestDistance) { best = c; bestDistance = d; }
            }
            // Close enough: at most a third of the name differs.
            return best != null && bestDistance <= System.Math.Max(2, name.Length / 3) ? best : null;
        }

        public static int Distance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++) previous[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    current[j] = System.Math.Min(System.Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }
                var swap = previous; previous = current; current = swap;
            }
            return previous[b.Length];
        }
    }
}
