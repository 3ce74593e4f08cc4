using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Atc.Build.Tests.Infrastructure;

/// <summary>What a .dll holds: precompiled native code (ReadyToRun) and/or IL method bodies.</summary>
public static class ReadyToRunImage
{
    /// <summary>(ReadyToRun, method bodies in IL): a ReadyToRun image has a managed native header in its CLI header,
    /// which only crossgen2 writes; IL is kept when the method definitions still point at bodies.</summary>
    public static (bool ReadyToRun, int IlBodies) Inspect(Stream dll)
    {
        using var pe = new PEReader(dll, PEStreamOptions.LeaveOpen);
        bool readyToRun = pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
        var metadata = pe.GetMetadataReader();
        int bodies = metadata.MethodDefinitions.Count(h => metadata.GetMethodDefinition(h).RelativeVirtualAddress != 0);
        return (readyToRun, bodies);
    }
}
