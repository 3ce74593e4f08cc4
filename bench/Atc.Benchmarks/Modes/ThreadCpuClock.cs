using System.Runtime.InteropServices;

namespace Atc.Benchmarks.Modes;

/// <summary>
/// CPU time of the calling thread (Linux/macOS clock_gettime(CLOCK_THREAD_CPUTIME_ID), nanosecond resolution). On
/// a loaded machine one sub-millisecond run's wall time is mostly whether the scheduler preempted it; its thread
/// CPU time is the work itself, including the JIT and page faults on that thread, excluding background tier-1
/// compiles. NaN where the clock is unavailable.
/// </summary>
public static partial class ThreadCpuClock
{
    private const int ThreadCpuTimeId = 3;   // CLOCK_THREAD_CPUTIME_ID on Linux

    public static double Milliseconds()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        var time = new long[2];
        return GetTime(ThreadCpuTimeId, time) == 0 ? time[0] * 1e3 + time[1] / 1e6 : double.NaN;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int GetTime(int clock, [Out] long[] time);
}
