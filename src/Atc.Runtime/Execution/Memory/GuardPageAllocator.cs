using System.Runtime.InteropServices;

namespace Atc.Runtime.Execution.Memory;

/// <summary>
/// Test allocator (Linux): every block is mapped between two PROT_NONE pages and ends within 63 bytes of the
/// trailing one (the start stays 64-byte aligned, as kernels expect), so a read or write past the end, or before
/// the start's page, faults immediately. Turn it on for a session with
/// <c>new SessionOptions { Allocator = GuardPageAllocator.Instance }</c> (internal; tests only).
/// </summary>
internal sealed partial class GuardPageAllocator : IBufferAllocator
{
    public static readonly GuardPageAllocator Instance = new();

    private const int ProtNone = 0, ProtRead = 1, ProtWrite = 2;
    private const int MapPrivate = 0x02, MapAnonymous = 0x20;

    private GuardPageAllocator() { }

    public static bool IsSupported => OperatingSystem.IsLinux();

    private static long PageSize => Environment.SystemPageSize;

    private static long DataBytes(long bytes) => ArenaAllocator.Align(bytes);

    private static long DataPages(long bytes) => (DataBytes(bytes) + PageSize - 1) / PageSize;

    public nint Allocate(long bytes)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("guard-page buffers need Linux mmap/mprotect");
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        long dataPages = DataPages(bytes);
        long total = (dataPages + 2) * PageSize;
        nint mapping = Mmap(0, (nuint)total, ProtNone, MapPrivate | MapAnonymous, -1, 0);
        if (mapping == -1) throw new OutOfMemoryException($"mmap of {total} bytes failed (errno {Marshal.GetLastPInvokeError()})");
        nint data = mapping + (nint)PageSize;
        if (dataPages > 0 && Mprotect(data, (nuint)(dataPages * PageSize), ProtRead | ProtWrite) != 0)
            throw new OutOfMemoryException($"mprotect failed (errno {Marshal.GetLastPInvokeError()})");
        nint trailingGuard = data + (nint)(dataPages * PageSize);
        return trailingGuard - (nint)DataBytes(bytes);
    }

    public void Free(nint pointer, long bytes)
    {
        long dataPages = DataPages(bytes);
        nint trailingGuard = pointer + (nint)DataBytes(bytes);
        nint mapping = trailingGuard - (nint)((dataPages + 1) * PageSize);
        _ = Munmap(mapping, (nuint)((dataPages + 2) * PageSize));
    }

    [LibraryImport("libc.so.6", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc.so.6", EntryPoint = "mprotect", SetLastError = true)]
    private static partial int Mprotect(nint address, nuint length, int protection);

    [LibraryImport("libc.so.6", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(nint address, nuint length);
}
