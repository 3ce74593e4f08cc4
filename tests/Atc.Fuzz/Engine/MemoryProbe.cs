using System.Diagnostics;

namespace Atc.Fuzz.Engine;

/// <summary>Peak managed heap (sampled after every case) and the process's peak resident set.</summary>
public sealed class MemoryProbe
{
    public long PeakGcBytes { get; private set; }

    public void Sample() => PeakGcBytes = Math.Max(PeakGcBytes, Math.Max(GC.GetTotalMemory(false), GC.GetGCMemoryInfo().HeapSizeBytes));

    public static long PeakRssBytes()
    {
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }
}
