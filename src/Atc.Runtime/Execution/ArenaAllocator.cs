namespace Atc.Runtime.Execution;

/// <summary>A buffer that must hold its bytes from step <see cref="First"/> to step <see cref="Last"/> (inclusive).</summary>
internal readonly record struct LiveInterval(int Id, long Size, int First, int Last)
{
    public bool Overlaps(LiveInterval other) => First <= other.Last && other.First <= Last;
}

/// <summary>
/// Assigns arena offsets so that buffers live at the same time never share bytes: greedy by decreasing size, each
/// buffer taking the smallest gap (best fit) between the buffers already placed that overlap it in time.
/// Offsets and sizes are multiples of <see cref="Alignment"/> bytes.
/// </summary>
internal static class ArenaAllocator
{
    public const int Alignment = 64;

    public static long Align(long bytes) => (bytes + Alignment - 1) & ~(long)(Alignment - 1);

    /// <summary>Returns the offset of each interval (same order as given) and the arena size.</summary>
    public static (long[] Offsets, long ArenaSize) Allocate(IReadOnlyList<LiveInterval> intervals)
    {
        var offsets = new long[intervals.Count];
        var order = Enumerable.Range(0, intervals.Count)
            .OrderByDescending(i => Align(intervals[i].Size))
            .ThenBy(i => intervals[i].First)
            .ThenBy(i => intervals[i].Id)
            .ToArray();

        var placed = new List<int>();
        var neighbours = new List<int>();
        long arenaSize = 0;
        foreach (int i in order)
        {
            long size = Align(intervals[i].Size);
            if (size == 0) { offsets[i] = 0; continue; }

            neighbours.Clear();
            foreach (int p in placed)
                if (intervals[p].Overlaps(intervals[i])) neighbours.Add(p);
            neighbours.Sort((a, b) => offsets[a].CompareTo(offsets[b]));

            long bestOffset = -1, bestGap = long.MaxValue, end = 0;
            foreach (int p in neighbours)
            {
                long gap = offsets[p] - end;
                if (gap >= size && gap < bestGap) { bestGap = gap; bestOffset = end; }
                end = Math.Max(end, offsets[p] + Align(intervals[p].Size));
            }
            offsets[i] = bestOffset >= 0 ? bestOffset : end;
            arenaSize = Math.Max(arenaSize, offsets[i] + size);
            placed.Add(i);
        }
        return (offsets, arenaSize);
    }
}
