using System.Reflection;
using System.Reflection.PortableExecutable;

namespace Atc.Benchmarks.Modes;

/// <summary>Whether an assembly file is a ReadyToRun image (precompiled native code beside its IL): its CLI header has
/// a managed native header, which only crossgen2 writes.</summary>
public static class ReadyToRunCheck
{
    public static bool IsReadyToRun(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    /// <summary>"ReadyToRun" or "IL only (JIT)", for the runtime assembly this process loaded.</summary>
    public static string Describe(Assembly assembly) =>
        $"{assembly.GetName().Name} {(IsReadyToRun(assembly.Location) ? "ReadyToRun image" : "IL only (JIT)")}";
}
