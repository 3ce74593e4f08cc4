namespace Atc.Runtime.Execution;

/// <summary>
/// Idle sessions of one model for its thread-safe runs: renting and returning are a few compare-exchanges on a
/// fixed array of slots (no lock, no allocation once warm). When every slot is empty a new session is made; when
/// every slot is full a returned session is dropped, so the pool holds at most one session per slot.
/// </summary>
internal sealed class SessionPool(InferenceModel model)
{
    private readonly InferenceSession?[] _slots = new InferenceSession?[Math.Max(4, 2 * Environment.ProcessorCount)];

    public InferenceSession Rent()
    {
        var slots = _slots;
        int start = Start(slots.Length);
        for (int i = 0; i < slots.Length; i++)
        {
            ref var slot = ref slots[(start + i) % slots.Length];
            var session = Volatile.Read(ref slot);
            if (session is not null && Interlocked.CompareExchange(ref slot, null, session) == session) return session;
        }
        return model.CreateSession();
    }

    public void Return(InferenceSession session)
    {
        var slots = _slots;
        int start = Start(slots.Length);
        for (int i = 0; i < slots.Length; i++)
            if (Interlocked.CompareExchange(ref slots[(start + i) % slots.Length], session, null) is null) return;
        session.Dispose();
    }

    /// <summary>Threads start their scan at different slots, so concurrent callers rarely contend for one.</summary>
    private static int Start(int length) => Environment.CurrentManagedThreadId % length;

    /// <summary>Sessions idle in the pool (for tests).</summary>
    public int IdleCount => _slots.Count(s => s is not null);
}
