using Atc.Compiler.Emit;
using Atc.Runtime;
using Atc.Runtime.Format;
using Atc.TestModels.Onnx;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Execution;

/// <summary>
/// Issue 12, items 4 and 5: Load makes every gear's kernels, <see cref="InferenceSession.WarmUp"/> leaves nothing for
/// the first run to prepare, and a run of a real multi-input model allocates nothing (also with worker threads).
/// </summary>
public class FirstRunTests
{
    private static readonly Lazy<byte[]> TwoTowerOm = new(() => CompiledOm.FromOnnx(OnnxSmallModels.TwoTower(), "two_tower", 1, 2));

    private static (float[] Image, float[] Vector) Inputs(int batch, int seed)
    {
        var random = new Random(seed);
        float[] Fill(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        return (Fill(batch * 3 * OnnxSmallModels.ImageSize * OnnxSmallModels.ImageSize), Fill(batch * OnnxSmallModels.VectorLength));
    }

    private static readonly int[] ImageShape = [1, 3, OnnxSmallModels.ImageSize, OnnxSmallModels.ImageSize];
    private static readonly int[] VectorShape = [1, OnnxSmallModels.VectorLength];

    [Fact]
    public void LoadCreatesTheKernelsOfEveryGear()
    {
        var ops = new TestOperators();
        var model = InferenceModel.Load(OmWriter.Write(
            TestOm.Compile(TestOm.SmallGraph(), ops.Resolver, [[[1, 4]], [[2, 4]]], ModelGearKind.Batch, [[1], [2]])), ops.Resolver);
        Assert.Equal(2, ops.DoubleKernelsCreated);
        using var session = model.CreateSession();
        session.Run(TensorData.Float([2, 4], 1, 2, 3, 4, 5, 6, 7, 8));
        Assert.Equal(2, ops.DoubleKernelsCreated);   // the run made none
    }

    [Fact]
    public void LoadCompilesTheCallersPathSoTheFirstBindRunAndReadJitNothing()
    {
        var model = InferenceModel.Load(TwoTowerOm.Value);
        using var session = model.CreateSession(new SessionOptions { ThreadCount = 1 });
        var (image, vector) = Inputs(1, seed: 12);
        ReadOnlySpan<float> imageData = image, vectorData = vector;
        ReadOnlySpan<int> imageShape = ImageShape, vectorShape = VectorShape;
        long before = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true);
        session.SetInput(0, imageData, imageShape);
        session.SetInput(1, vectorData, vectorShape);
        session.Run();
        float first = session.GetOutput<float>(0)[0] + session.GetOutput<float>(1)[0];
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: true) - before;
        // Load's warm-up goes through SetInput<float>, Run() and GetOutput<float>, the calls a caller makes: without it
        // this thread compiles ~180 methods here, with a warm-up through private shortcuts ~10 (those public calls).
        Assert.True(compiled == 0, $"the first bind, run and read compiled {compiled} methods");
        Assert.True(float.IsFinite(first));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void WithoutWarmUpTheFirstRunOfANewSessionAllocatesNoMoreThanASteadyRun(int threads)
    {
        var model = InferenceModel.Load(TwoTowerOm.Value);
        // A session's buffers are the contract: a process-wide first use (a lazily made static the run path touches
        // once per process, which a heavily loaded CI has been seen to reach here) allocates in one session only,
        // while a session that sized nothing allocates in every one. So a second fresh session must be clean.
        if (FirstRunAllocations(model, threads) > 0) Assert.Equal(0, FirstRunAllocations(model, threads));
    }

    private static long FirstRunAllocations(InferenceModel model, int threads)
    {
        using var session = model.CreateSession(new SessionOptions { ThreadCount = threads });
        var (image, vector) = Inputs(1, seed: 11);
        session.SetInput<float>(0, image, ImageShape);
        session.SetInput<float>(1, vector, VectorShape);
        long before = GC.GetAllocatedBytesForCurrentThread();
        session.Run();
        long first = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        session.Run();
        long steady = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, steady);
        return first;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void AfterWarmUpTheFirstRunAllocatesNothingAndMatchesAColdSession(int threads)
    {
        var model = InferenceModel.Load(TwoTowerOm.Value);
        var (image, vector) = Inputs(1, seed: 5);

        using var cold = model.CreateSession(new SessionOptions { ThreadCount = threads });
        cold.SetInput<float>(OnnxSmallModels.ImageInput, image, ImageShape);
        cold.SetInput<float>(OnnxSmallModels.VectorInput, vector, VectorShape);
        cold.Run();

        using var warm = model.CreateSession(new SessionOptions { ThreadCount = threads });
        warm.WarmUp();
        warm.SetInput<float>(0, image, ImageShape);
        warm.SetInput<float>(1, vector, VectorShape);
        long before = GC.GetAllocatedBytesForCurrentThread();
        warm.Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, warm.LastGearIndex);
        for (int k = 0; k < 2; k++)
            Assert.Equal(cold.GetOutput<float>(k).ToArray(), warm.GetOutput<float>(k).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void HundredRunsOfATwoInputModelAllocateNothing(int threads)
    {
        var model = InferenceModel.Load(TwoTowerOm.Value);
        using var session = model.CreateSession(new SessionOptions { ThreadCount = threads });
        var (image, vector) = Inputs(1, seed: 6);
        session.WarmUp();
        session.SetInput<float>(0, image, ImageShape);
        session.SetInput<float>(1, vector, VectorShape);
        session.Run();
        // A process-wide first use (seen once under a loaded CI) allocates in one loop only; a run that allocates
        // does so in every loop, so the second must be clean.
        if (HundredRunsAllocate(session, image, vector) > 0) Assert.Equal(0, HundredRunsAllocate(session, image, vector));
    }

    private static long HundredRunsAllocate(InferenceSession session, float[] image, float[] vector)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            image[i] = i;   // new data every call, as a caller's loop has
            session.SetInput<float>(0, image, ImageShape);
            session.SetInput<float>(1, vector, VectorShape);
            session.Run();
            _ = session.GetOutput<float>(0);
            _ = session.GetOutput<float>(1);
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void SwitchingGearsBetweenCallsAllocatesNothing()
    {
        var model = InferenceModel.Load(TwoTowerOm.Value);
        using var session = model.CreateSession(new SessionOptions { ThreadCount = 1 });
        session.WarmUp();
        var (image1, vector1) = Inputs(1, seed: 9);
        var (image2, vector2) = Inputs(2, seed: 10);
        int[] image2Shape = [2, 3, OnnxSmallModels.ImageSize, OnnxSmallModels.ImageSize], vector2Shape = [2, OnnxSmallModels.VectorLength];
        var gears = new int[20];
        void Call(int i)
        {
            bool two = i % 2 == 1;
            session.SetInput<float>(0, two ? image2 : image1, two ? image2Shape : ImageShape);
            session.SetInput<float>(1, two ? vector2 : vector1, two ? vector2Shape : VectorShape);
            session.Run();
            gears[i] = session.LastGearIndex;
        }
        Call(0);   // binds the first shapes (the session keeps a copy of each)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < gears.Length; i++) Call(i);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(Enumerable.Range(0, gears.Length).Select(i => i % 2), gears);
    }

    [Fact]
    public void WarmUpLeavesNoInputBoundAndNoOutput()
    {
        using var session = InferenceModel.Load(TwoTowerOm.Value).CreateSession(new SessionOptions { ThreadCount = 1 });
        var (image, _) = Inputs(1, seed: 7);
        session.SetInput<float>(0, image, ImageShape);
        session.WarmUp();
        var error = Assert.Throws<InferenceInputException>(() => session.Run());
        Assert.Contains("is not set", error.Message);
        Assert.Throws<InvalidOperationException>(() => session.GetOutput<float>(0));
    }

    [Fact]
    public void WarmUpRunsEveryGearWithoutReportingToTheProfiler()
    {
        var ops = new TestOperators();
        var model = InferenceModel.Load(OmWriter.Write(
            TestOm.Compile(TestOm.SmallGraph(), ops.Resolver, [[[1, 4]], [[2, 4]]], ModelGearKind.Batch, [[1], [2]])), ops.Resolver);
        using var session = model.CreateSession();
        var profiler = new CountingProfiler();
        session.Profiler = profiler;
        int afterLoad = ops.RunsOf("Double");
        session.WarmUp();
        Assert.Equal(afterLoad + 2, ops.RunsOf("Double"));
        Assert.Equal(0, profiler.Steps);
        Assert.Same(profiler, session.Profiler);
    }

    [Fact]
    public void ModelWarmUpWarmsAPooledSession()
    {
        var model = InferenceModel.Load(TwoTowerOm.Value);
        model.WarmUp();
        Assert.Equal(1, model.PooledSessionCount);
        var (image, vector) = Inputs(2, seed: 8);
        var outputs = model.Run(TensorData.Float([2, 3, OnnxSmallModels.ImageSize, OnnxSmallModels.ImageSize], image),
            TensorData.Float([2, OnnxSmallModels.VectorLength], vector));
        Assert.Equal([2, 10], outputs[0].Dims);
        Assert.Equal([2, 4], outputs[1].Dims);
    }

    private sealed class CountingProfiler : Atc.Runtime.Profiling.IRunProfiler
    {
        public int Steps;
        public void StepCompleted(Atc.Runtime.Profiling.ProfiledStep step, long elapsedTicks) => Steps++;
    }
}
