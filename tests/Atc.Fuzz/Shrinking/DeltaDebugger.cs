namespace Atc.Fuzz.Shrinking;

/// <summary>
/// Zeller's ddmin, complement-only: remove ever smaller chunks of a list while the failure still reproduces.
/// Stops after <see cref="CheckBudget.Remaining"/> checks, keeping the smallest failing list found so far.
/// </summary>
public static class DeltaDebugger
{
    public static List<T> Minimize<T>(List<T> items, Func<List<T>, bool> stillFails, CheckBudget budget)
    {
        int granularity = 2;
        while (items.Count >= 1 && budget.Remaining > 0)
        {
            int chunk = Math.Max(1, (items.Count + granularity - 1) / granularity);
            bool reduced = false;
            for (int start = 0; start < items.Count && budget.Take(); start += chunk)
            {
                var candidate = new List<T>(items.Count);
                candidate.AddRange(items.Take(start));
                candidate.AddRange(items.Skip(start + chunk));
                if (!stillFails(candidate)) continue;
                items = candidate;
                granularity = Math.Max(granularity - 1, 2);
                reduced = true;
                break;
            }
            if (reduced) continue;
            if (chunk == 1) break;
            granularity = Math.Min(items.Count, granularity * 2);
        }
        return items;
    }
}

/// <summary>How many more candidates the shrinker may run.</summary>
public sealed class CheckBudget(int checks)
{
    public int Remaining { get; private set; } = checks;

    public bool Take()
    {
        if (Remaining <= 0) return false;
        Remaining--;
        return true;
    }
}
