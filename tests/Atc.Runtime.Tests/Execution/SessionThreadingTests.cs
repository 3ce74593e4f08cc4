using Atc.Options;
using Atc.Options.Errors;
using Atc.Runtime;
using Atc.Runtime.Execution;
using Atc.Runtime.Format;
using Atc.Runtime.Operators;
using Atc.Tests.TestSupport;

namespace Atc.Tests.Execution;

/// <summary>
/// Issue 10 (sessions that cannot corrupt memory) and issue 15 (a thread-safe model-level API, a thread budget).
/// </summary>
public class SessionThreadingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // ---- one session, two threads: a coded exception instead of shared buffers ----

    [Fact]
    public void EveryMemberEnteredWhileAnotherThreadRunsThrowsATC2100()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var gate = new GateOp(entered, release);
        var b = new GraphBuilder();
        b.Output(b.Node("Gate", b.Input("x")));
        OperatorResolver resolver = op => op == "Gate" ? gate : null;
        var model = InferenceModel.Load(TestOm.Write(b.Build(), resolver, [[1, 4]]), resolver);
        var session = model.CreateSession();
        session.SetInput<float>(0, [1, 2, 3, 4], [1, 4]);
        var running = new Thread(session.Run);
        running.Start();
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)), "the run never started");

        var attempts = new Action[]
        {
            () => session.SetInput<float>(0, [5, 6, 7, 8], [1, 4]),
            () => session.SetInput(0, TensorData.Float([1, 4], 5, 6, 7, 8)),
            () => session.Run(),
            () => session.Run(0),
            () => session.Run(TensorData.Float([1, 4], 5, 6, 7, 8)),
            () => session.Prepare(),
            () => session.GetOutput<float>(0),
            () => session.GetOutputShape(0),
            session.Dispose,
        };
        foreach (var attempt in attempts)
        {
            var e = Assert.Throws<InvalidOperationException>(attempt);
            Assert.StartsWith("ATC2100: InferenceSession of model [test_model] was entered by ", e.Message);
            Assert.Contains("one session per thread", e.Message);
            Assert.Contains("InferenceModel.Run", e.Message);
        }
        release.Set();
        running.Join();
        Assert.Equal(new float[] { 1, 2, 3, 4 }, session.GetOutput<float>(0).ToArray());   // the rejected calls changed nothing
        session.Dispose();
        Assert.Throws<ObjectDisposedException>(() => session.Run());
    }

    /// <summary>
    /// The repro: one session run from two threads on different gears, with GC.Collect in a third thread. Used to
    /// crash in PadKernel or return wrong outputs; now every call either returns the right outputs or throws ATC2100.
    /// </summary>
    [Fact]
    public void TwoThreadsOnTwoGearsOfOneSessionNeverCrashOrReturnWrongValues()
    {
        var model = PadConvModel.Load();
        var inputs = PadConvModel.Batches.Select(batch => TensorData.Float(PadConvModel.InputShape(batch), PadConvModel.Input(batch, batch))).ToArray();
        float[][] expected = [.. inputs.Select(x => model.CreateSession().Run(x)[0].ToFloatArray())];
        using var shared = model.CreateSession();
        int conflicts = 0, wrong = 0, done = 0, correct = 0;
        var unexpected = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var collector = new Thread(() => { while (Volatile.Read(ref done) < 2) { GC.Collect(); Thread.Yield(); } });
        collector.Start();
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            // Until both threads have run a while and at least one collision was seen (bounded).
            for (int i = 0; i < 200_000 && (i < 3_000 || Volatile.Read(ref conflicts) == 0); i++)
            {
                try
                {
                    var y = shared.Run(inputs[t])[0].ToFloatArray();
                    Interlocked.Increment(ref y.AsSpan().SequenceEqual(expected[t]) ? ref correct : ref wrong);
                }
                catch (InvalidOperationException e) when (e.Message.StartsWith("ATC2100:", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref conflicts);
                }
                catch (Exception e)
                {
                    unexpected.Add(e);
                    break;
                }
            }
            Interlocked.Increment(ref done);
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        collector.Join();

        output.WriteLine($"{correct} correct runs, {conflicts} ATC2100, {wrong} wrong, {unexpected.Count} other exceptions");
        Assert.Empty(unexpected);
        Assert.Equal(0, wrong);
        Assert.True(conflicts > 0, "the two threads never collided: the guard was not exercised");
    }

    // ---- the thread-safe model-level API ----

    [Fact]
    public void SixteenThreadsTimesAThousandRunsMatchASingleThreadedRunBitForBit()
    {
        var model = PadConvModel.Load();
        const int Distinct = 6;
        var inputs = Enumerable.Range(0, Distinct).Select(i =>
        {
            int batch = PadConvModel.Batches[i % 2];
            return TensorData.Float(PadConvModel.InputShape(batch), PadConvModel.Input(batch, 100 + i));
        }).ToArray();
        float[][] expected;
        using (var single = model.CreateSession(new SessionOptions { ThreadCount = 1 }))
            expected = [.. inputs.Select(x => single.Run(x)[0].ToFloatArray())];

        int mismatches = 0;
        var threads = Enumerable.Range(0, 16).Select(t => new Thread(() =>
        {
            var destination = new float[8 * 2 * 6 * 6];
            for (int i = 0; i < 1000; i++)
            {
                int k = (t + i) % Distinct;
                bool same;
                if (i % 2 == 0)
                    same = model.Run(inputs[k])[0].ToFloatArray().AsSpan().SequenceEqual(expected[k]);
                else
                {
                    int written = model.Run<float, float>(inputs[k].ToFloatArray(), inputs[k].Dims, destination);
                    same = destination.AsSpan(0, written).SequenceEqual(expected[k]);
                }
                if (!same) Interlocked.Increment(ref mismatches);
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();

        Assert.Equal(0, mismatches);
        Assert.InRange(model.PooledSessionCount, 1, Math.Max(4, 2 * Environment.ProcessorCount));
    }

    [Fact]
    public void ModelRunReportsBadInputsAndReusesItsSessions()
    {
        var model = PadConvModel.Load();
        var x = TensorData.Float(PadConvModel.InputShape(1), PadConvModel.Input(1, 1));
        model.Run(x);
        model.Run(x);
        Assert.Equal(1, model.PooledSessionCount);   // one thread: the same session every time

        Assert.Contains("match no gear", Assert.Throws<InferenceInputException>(() => model.Run(TensorData.Float([2, 3, 6, 6], new float[216]))).Message);
        Assert.Contains("has 1 inputs", Assert.Throws<InferenceInputException>(() => model.Run(x, x)).Message);
        var small = new float[10];
        var e = Assert.Throws<InferenceInputException>(() => model.Run<float, float>(x.ToFloatArray(), x.Dims, small));
        Assert.Contains("has 72 elements (shape [1,2,6,6]); the destination holds 10", e.Message);
        Assert.Equal(1, model.PooledSessionCount);   // a failed call returns its session too
    }

    // ---- thread budget ----

    [Fact]
    public void ThreadCountIsCappedWithACodedWarning()
    {
        var model = PadConvModel.Load();
        int cap = InferenceSession.MaxThreadsPerProcessor * Environment.ProcessorCount;
        using var huge = model.CreateSession(new SessionOptions { ThreadCount = 5000 });
        Assert.Equal(cap, huge.ThreadCount);
        string warning = Assert.Single(huge.Warnings);
        Assert.StartsWith("ATC2101: ", warning);
        Assert.Contains(AtcErrorCatalog.ATC2101.FormatMessage(5000, cap, InferenceSession.MaxThreadsPerProcessor, Environment.ProcessorCount), warning);

        using var normal = model.CreateSession();
        Assert.Equal(Environment.ProcessorCount, normal.ThreadCount);
        Assert.Empty(normal.Warnings);

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.CreateSession(new SessionOptions { ThreadCount = -3 }));
        Assert.StartsWith("ATC2102: ", e.Message);
        Assert.Contains(AtcErrorCatalog.ATC2102.FormatMessage(-3, cap), e.Message);
    }

    [Fact]
    public void SessionsShareOneWorkerPoolPerThreadCount()
    {
        var model = PadConvModel.Load();
        var x = TensorData.Float(PadConvModel.InputShape(8), PadConvModel.Input(8, 3));
        var sessions = Enumerable.Range(0, 8).Select(_ => model.CreateSession(new SessionOptions { ThreadCount = 3 })).ToList();
        var expected = sessions[0].Run(x)[0].ToFloatArray();
        foreach (var s in sessions) Assert.Equal(expected, s.Run(x)[0].ToFloatArray());
        var pool = sessions[0].WorkerPool;
        Assert.Equal(3, pool.ThreadCount);
        Assert.All(sessions, s => Assert.Same(pool, s.WorkerPool));   // 8 sessions, one pool of 2 worker threads
        using (var two = model.CreateSession(new SessionOptions { ThreadCount = 2 }))
            Assert.NotSame(pool, two.WorkerPool);
        using (var one = model.CreateSession(new SessionOptions { ThreadCount = 1 }))
            Assert.Same(InlineWorkerPool.Instance, one.WorkerPool);
        foreach (var s in sessions) s.Dispose();
        using var after = model.CreateSession(new SessionOptions { ThreadCount = 3 });
        Assert.Same(pool, after.WorkerPool);   // disposing sessions leaves the shared pool running
    }

    [Fact]
    public void RuntimeCodesAreTheCatalogs()
    {
        foreach (var (code, severity) in new[] { (RuntimeErrors.ConcurrentUseCode, AtcSeverity.Error), (RuntimeErrors.ThreadCountCappedCode, AtcSeverity.Warning),
            (RuntimeErrors.InvalidThreadCountCode, AtcSeverity.Error) })
        {
            var descriptor = AtcErrorCatalog.Find(code);
            Assert.NotNull(descriptor);
            Assert.Equal(AtcErrorOrigin.Project, descriptor.Origin);
            Assert.Equal(severity, descriptor.Severity);
        }
        Assert.Contains(AtcErrorCatalog.ATC2100.FormatMessage("m", "Run"), RuntimeErrors.ConcurrentUse("m", "Run").Message);
        Assert.Contains(AtcErrorCatalog.ATC2100.Solution!, RuntimeErrors.ConcurrentUse("m", "Run").Message);
    }
}
