using Atc.Runtime.Execution;

namespace Atc.Runtime.Operators.ControlFlow;

/// <summary>Carves a kernel's scratch memory into 64-byte-aligned regions, computed once when the kernel is made.</summary>
internal sealed class ScratchLayout
{
    private long _total;

    /// <summary>Reserves <paramref name="bytes"/> and returns the region's offset from the start of the scratch.</summary>
    public long Reserve(long bytes)
    {
        long offset = _total;
        _total = ArenaAllocator.Align(_total + Math.Max(0, bytes));
        return offset;
    }

    public long TotalBytes => _total;
}
