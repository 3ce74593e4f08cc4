namespace Atc.Runtime.MicroKernels;

/// <summary>
/// Per-call scratch split into equal slots that parallel tasks borrow (a packed B block, an im2col tile). The claim
/// flags live in the scratch itself, so a kernel shared by several sessions keeps no mutable state. A task claims a
/// free slot, uses it, and releases it; with at least as many slots as threads a claim never waits.
/// </summary>
internal readonly unsafe struct ScratchSlots
{
    private const int HeaderBytes = MaxSlots * sizeof(int);
    public const int MaxSlots = 64;

    private readonly int* _claims;
    private readonly byte* _first;
    private readonly long _slotBytes;
    private readonly int _count;

    private ScratchSlots(int* claims, byte* first, long slotBytes, int count)
    {
        _claims = claims;
        _first = first;
        _slotBytes = slotBytes;
        _count = count;
    }

    /// <summary>Slots worth having: one per processor (a pool has at most that many threads by default).</summary>
    public static int DefaultCount(long tasks) => (int)Math.Clamp(Math.Min(tasks, Environment.ProcessorCount), 1, MaxSlots);

    public static long Bytes(int count, long slotBytes) => count == 0 ? 0 : 64 + HeaderBytes + count * AlignUp(slotBytes);

    /// <summary>Lays out the slots at the start of <paramref name="scratch"/> (aligning it) and clears the claims.</summary>
    public static ScratchSlots Create(nint scratch, int count, long slotBytes)
    {
        byte* p = (byte*)AlignUp(scratch);
        var claims = (int*)p;
        for (int i = 0; i < count; i++) claims[i] = 0;
        return new ScratchSlots(claims, p + HeaderBytes, AlignUp(slotBytes), count);
    }

    public int Count => _count;

    public int Claim()
    {
        var spin = new SpinWait();
        while (true)
        {
            for (int i = 0; i < _count; i++)
                if (Volatile.Read(ref _claims[i]) == 0 && Interlocked.CompareExchange(ref _claims[i], 1, 0) == 0)
                    return i;
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    public void Release(int slot) => Volatile.Write(ref _claims[slot], 0);

    public float* Slot(int slot) => (float*)(_first + slot * _slotBytes);

    private static long AlignUp(long v) => (v + 63) & ~63L;
    private static nint AlignUp(nint v) => (v + 63) & ~(nint)63;
}
