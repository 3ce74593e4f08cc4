using System.Runtime.InteropServices;
using Atc.Runtime;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Execution;

/// <summary>
/// CreateSession maps its buffers' pages (PinnedBuffer writes one byte per page): the first Run must not take a
/// page fault per page of the arena and scratch, which on a loaded VM cost DenseNet-121's first run as much as a
/// steady run.
/// </summary>
public partial class FreshPageTests
{
    [Fact]
    public void TheFirstRunOfANewSessionTakesNoPageFaultPerArenaPage()
    {
        if (!OperatingSystem.IsLinux()) return;   // minor faults of one thread: getrusage(RUSAGE_THREAD)
        var model = InferenceModel.Load(CompiledOm.FromOnnx(OnnxSmallModels.TwoTower(), "two_tower", 4));
        var gear = model.SmallestGear!;
        long pages = (gear.Plan.ArenaSize + gear.ScratchBytes) / Environment.SystemPageSize;
        Assert.True(pages >= 64, $"the test needs a gear whose arena and scratch span many pages; this one spans {pages}");
        using var session = model.CreateSession(new SessionOptions { ThreadCount = 1 });
        var image = new float[4 * 3 * OnnxSmallModels.ImageSize * OnnxSmallModels.ImageSize];
        var vector = new float[4 * OnnxSmallModels.VectorLength];
        ReadOnlySpan<int> imageShape = [4, 3, OnnxSmallModels.ImageSize, OnnxSmallModels.ImageSize], vectorShape = [4, OnnxSmallModels.VectorLength];
        session.SetInput<float>(0, image, imageShape);
        session.SetInput<float>(1, vector, vectorShape);
        long before = ThreadMinorFaults();
        session.Run();
        long faults = ThreadMinorFaults() - before;
        // Without the touch this is about one fault per page the run writes; code and runtime data may add a few.
        Assert.True(faults < pages / 4, $"the first run took {faults} page faults; the arena and scratch span {pages} pages");
    }

    private static long ThreadMinorFaults()
    {
        var usage = new long[18];   // struct rusage: two timevals, then 14 longs; ru_minflt is the 9th long
        Assert.Equal(0, GetResourceUsage(1 /* RUSAGE_THREAD */, usage));
        return usage[8];
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetResourceUsage(int who, [Out] long[] usage);
}
