using System.Reflection.PortableExecutable;
using Atc.Runtime;

namespace Atc.Tests.Diagnostics;

/// <summary>A Release build's Atc.Runtime.dll (what the samples, the benchmarks and these tests load) is a
/// ReadyToRun image (src/Atc.Runtime/ReadyToRun.targets); a Debug build stays IL only for a fast inner loop.</summary>
public class ReadyToRunBuildTests
{
    [Fact]
    public void TheRuntimeAssemblyIsPrecompiledExactlyInRelease()
    {
        string path = typeof(InferenceModel).Assembly.Location;
        using var pe = new PEReader(File.OpenRead(path));
        bool readyToRun = pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
        bool release = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal);
        Assert.True(readyToRun == release, $"{path}: ReadyToRun {readyToRun} in a {(release ? "Release" : "Debug")} build");
    }
}
