namespace Atc.Runtime.Threading;

/// <summary>
/// Detects two threads inside one object at once: one interlocked exchange on entry, one volatile write on exit.
/// It does not make the object thread-safe; it turns a race that would corrupt memory into an exception.
/// </summary>
internal struct SingleThreadGuard
{
    private int _inside;

    /// <summary>False when another thread is inside (the caller throws).</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _inside, 1, 0) == 0;

    public void Exit() => Volatile.Write(ref _inside, 0);
}
